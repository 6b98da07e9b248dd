{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="portal-title">
  <p><a href="/admin/">Admin</a></p>
  <h1 id="portal-title">Portal</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  {{#INVITED}}<div class="notice" role="status"><p>An invitation for {{EMAIL}} is in the outbox. Until mail is sent, you can give them this link; it works once, until {{EXPIRES}}:</p>
    <p><code class="secret">{{LINK}}</code></p></div>{{/INVITED}}
  <h2 id="signup-mode">Who can sign up</h2>
  <form method="post" action="/admin/portal" class="stack" aria-labelledby="signup-mode">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <fieldset class="stack">
      <legend>Sign-up mode</legend>
      {{#MODE}}<label><input type="radio" name="mode" value="{{VALUE}}"{{#CHECKED}} checked{{/CHECKED}}> {{LABEL}}</label>{{/MODE}}
    </fieldset>
    <label for="portal-domains">Email domains allowed to sign up (one per line)</label>
    <textarea id="portal-domains" name="domains" rows="4" maxlength="16000">{{DOMAINS}}</textarea>
    <button type="submit">Save</button>
  </form>
  <h2 id="invite">Invite someone</h2>
  <form method="post" action="/admin/portal/invites" class="stack" aria-labelledby="invite">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="invite-email">Email</label>
    <input id="invite-email" name="email" type="email" required maxlength="254" value="{{INVITE_EMAIL}}">
    <button type="submit">Send invitation</button>
  </form>
  <h2>Open invitations</h2>
  {{#NO_INVITES}}<p class="muted">None.</p>{{/NO_INVITES}}
  <ul>{{#INVITE}}<li>{{EMAIL}} <span class="muted">until {{EXPIRES}}</span></li>{{/INVITE}}</ul>
</section>
