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
    <input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="8" maxlength="1024" aria-describedby="password-rules password-strength" data-strength-meter>
    <ul id="password-rules" class="muted rules">{{#RULE}}<li>{{TEXT}}</li>{{/RULE}}</ul>
    <p id="password-strength" class="strength" aria-live="polite" hidden></p>
    <button type="submit">Change password</button>
  </form>
</section>
<script src="/static/strength.js" defer></script>
