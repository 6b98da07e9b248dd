{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="setup-title">
  <h1 id="setup-title">Set up two-factor authentication</h1>
  {{#REQUIRED}}<p class="notice" role="status">Your role requires a second factor. Set it up to continue.</p>{{/REQUIRED}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <ol class="steps">
    <li>Scan this code with an authenticator app (or enter the key by hand).</li>
  </ol>
  <div class="qr">{{QR_SVG:none}}</div>
  <p>Key: <code class="secret" id="totp-secret">{{SECRET}}</code></p>
  <form method="post" action="/account/2fa/setup" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="code">Then enter the 6-digit code the app shows</label>
    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" required>
    <button type="submit">Turn on two-factor authentication</button>
  </form>
</section>
