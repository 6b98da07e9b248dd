{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="error-title">
  <h1 id="error-title">{{STATUS}} · {{REASON}}</h1>
  <p>{{MESSAGE}}</p>
  <p class="muted">Reference: <code>{{REQUEST_ID}}</code></p>
  <p><a href="/">Back to the start</a></p>
</section>
