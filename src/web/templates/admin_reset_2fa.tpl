{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="reset-2fa-title">
  <h1 id="reset-2fa-title">Reset two-factor authentication</h1>
  {{#DONE}}<p class="notice" role="status">Two-factor authentication was reset and every session of this person was signed out. They were told by email.</p>{{/DONE}}
  <dl>
    <dt>Name</dt><dd>{{NAME}}</dd>
    <dt>Email</dt><dd>{{EMAIL}}</dd>
    <dt>Role</dt><dd>{{ROLE}}</dd>
    <dt>Two-factor authentication</dt><dd>{{#ENROLLED}}On{{/ENROLLED}}{{#NOT_ENROLLED}}Off{{/NOT_ENROLLED}}</dd>
  </dl>
  {{#SELF}}<p>This is your own account: sign in with one of your recovery codes instead, or ask another owner.</p>{{/SELF}}
  <p>Resetting removes the authenticator and the recovery codes of this person and signs out all their sessions. If their role requires two-factor authentication, they set it up again when they next sign in. Do this only when you are sure who asked (for example, a lost phone confirmed in person).</p>
  <form method="post" action="/admin/users/{{USER_ID}}/reset-2fa">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <button type="submit">Reset two-factor authentication</button>
  </form>
</section>
