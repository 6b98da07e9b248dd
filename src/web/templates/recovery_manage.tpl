{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="recovery-title">
  <h1 id="recovery-title">Recovery codes</h1>
  {{#ENROLLED}}<p>You have {{UNUSED}} unused recovery codes. Each lets you sign in once without your authenticator.</p>
  <p>Making a new set voids every earlier code, used or not. The new codes are shown once.</p>
  <form method="post" action="/account/2fa/recovery-codes" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <button type="submit">Make new recovery codes</button>
  </form>{{/ENROLLED}}
  {{#NOT_ENROLLED}}<p>Two-factor authentication is not set up for your account, so there are no recovery codes.</p>
  <p><a class="button" href="/account/2fa/setup">Set up two-factor authentication</a></p>{{/NOT_ENROLLED}}
</section>
