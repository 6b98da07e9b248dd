{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="reauth-title">
  <h1 id="reauth-title">Confirm your password</h1>
  <p>This is a sensitive change: enter your password{{#CODE}} and a code from your authenticator app{{/CODE}} to continue. You will not be asked again for a few minutes.</p>
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <form method="post" action="/account/reauth" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <input type="hidden" name="next" value="{{NEXT}}">
    <input type="hidden" name="username" value="{{EMAIL}}" autocomplete="username">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
    {{#CODE}}<label for="code">Code from your authenticator app, or a recovery code</label>
    <input id="code" name="code" autocomplete="one-time-code" inputmode="numeric" maxlength="32" required>{{/CODE}}
    <button type="submit">Confirm</button>
  </form>
</section>
