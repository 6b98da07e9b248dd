{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="bulk-title">
  <h1 id="bulk-title">Bulk change</h1>
  <p role="status">{{SUMMARY}}</p>
  {{#HAS_SKIPPED}}<h2>Skipped</h2>
  <ul>{{#SKIPPED}}<li>{{TICKET}}: {{REASON}}</li>{{/SKIPPED}}</ul>{{/HAS_SKIPPED}}
  <p><a href="/agent/?view={{VIEW}}">Back to the queue</a></p>
</section>
