{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="prompt-title">
  <h1 id="prompt-title">Two-factor authentication</h1>
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <form method="post" action="/login/2fa" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="code">Code from your authenticator app, or a recovery code</label>
    <input id="code" name="code" autocomplete="one-time-code" maxlength="32" required>
    <button type="submit">Continue</button>
  </form>
  <form method="post" action="/logout" class="inline">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <button type="submit" class="link">Cancel and sign out</button>
  </form>
</section>
