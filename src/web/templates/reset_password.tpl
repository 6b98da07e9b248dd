{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="reset-title">
  <h1 id="reset-title">Choose a new password</h1>
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <form method="post" action="/login/reset/{{TOKEN:url_query_escape}}" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="new_password">New password</label>
    <input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="8" maxlength="1024" aria-describedby="password-rules password-strength" data-strength-meter>
    <ul id="password-rules" class="muted rules">{{#RULE}}<li>{{TEXT}}</li>{{/RULE}}</ul>
    <p id="password-strength" class="strength" aria-live="polite" hidden></p>
    <p class="muted">The new password signs you out on every device. Two-factor authentication, if you use it, stays on.</p>
    <button type="submit">Set the new password</button>
  </form>
</section>
<script src="/static/strength.js" defer></script>
