{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="password-title">
  <h1 id="password-title">Change your password</h1>
  {{#FORCED}}<p class="notice" role="status">Choose your own password before you continue.</p>{{/FORCED}}
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <form method="post" action="/account/password" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="current_password">Current password</label>
    <input id="current_password" name="current_password" type="password" autocomplete="current-password" required maxlength="1024">
    <label for="new_password">New password</label>
    <input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="8" maxlength="1024" aria-describedby="password-rules">
    <p id="password-rules" class="muted">At least 15 characters (8 with two-factor authentication), up to 256. Spaces and any language are welcome; a common password, your name or email, or a pattern like "aaaa" or "1234" is not.</p>
    <button type="submit">Change password</button>
  </form>
</section>
