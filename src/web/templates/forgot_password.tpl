{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="forgot-title">
  <h1 id="forgot-title">Reset your password</h1>
  {{#SENT}}<p class="notice" role="status">If an account uses that address, a link to choose a new password is on its way. It works once, for 30 minutes.</p>{{/SENT}}
  <p>Enter the email address of your account. We will send it a link to choose a new password.</p>
  <form method="post" action="/login/forgot" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="username" required maxlength="254">
    <button type="submit">Send the link</button>
  </form>
  <p><a href="/login">Back to sign in</a></p>
</section>
