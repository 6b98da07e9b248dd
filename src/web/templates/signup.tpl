{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="signup-title">
  <h1 id="signup-title">Sign up</h1>
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  {{#SENT}}<p class="notice" role="status">Check your email: we sent a message to {{EMAIL}} with what to do next. If nothing arrives, check the address and try again.</p>{{/SENT}}
  {{#FORM}}<p>Enter your email address. We will send you a link to choose your name and password.</p>
  {{#DOMAINS}}<p class="muted">Sign-up is open to addresses at: {{LIST}}</p>{{/DOMAINS}}
  <form method="post" action="/signup" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="{{EMAIL}}">
    <button type="submit">Send me a link</button>
  </form>{{/FORM}}
  <p><a href="/login">Already have an account? Sign in</a></p>
</section>
