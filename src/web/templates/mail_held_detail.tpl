{{%AUTOESCAPE context="HTML"}}<article class="card" aria-labelledby="held-title">
  <p class="muted"><a href="/agent/">Workspace</a> / <a href="/mail/held">Held mail</a> / {{ID}}</p>
  <h1 id="held-title">{{SUBJECT}}</h1>
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <p class="alert" role="note">{{KIND}}: the sender is NOT verified. This message claims to come from {{FROM}}, which may be forged.</p>
  <dl class="facts">
    <dt>Claimed sender</dt><dd>{{FROM}}</dd>
    <dt>Received</dt><dd><time>{{RECEIVED}}</time></dd>
    <dt>Mailbox</dt><dd>{{MAILBOX}}</dd>
    <dt>Reason</dt><dd>{{REASON}}</dd>
    <dt>Sender checks</dt><dd class="sender-checks">{{CHECKS}}</dd>
  </dl>
  <h2>Text</h2>
  <div class="body">{{TEXT}}</div>
  <h2>Decide</h2>
  {{#CAN_IMPORT}}<form method="post" action="/mail/held/{{ID}}/new-ticket" class="inline-form">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <button type="submit">Create new ticket from it</button>
  </form>
  <form method="post" action="/mail/held/{{ID}}/add" class="inline-form">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="held-ticket">Add to ticket (as an internal note)</label>
    <input id="held-ticket" name="ticket" required maxlength="20" placeholder="RMP-1042">
    <button type="submit">Add to ticket</button>
  </form>{{/CAN_IMPORT}}
  <form method="post" action="/mail/held/{{ID}}/discard" class="inline-form">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <button type="submit">Discard</button>
  </form>
</article>
