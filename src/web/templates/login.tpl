{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="login-title">
  <h1 id="login-title">Sign in</h1>
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  <form method="post" action="/login" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="{{EMAIL}}">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
    <button type="submit">Sign in</button>
  </form>
  {{#SIGN_UP}}<p><a href="/signup">New here? Sign up</a></p>{{/SIGN_UP}}
  <p><a href="/login/forgot">Forgot your password?</a></p>
</section>
