{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="complete-title">
  <h1 id="complete-title">Finish signing up</h1>
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  {{#INVALID}}<p>This link is not valid any more: it was used, it expired, or sign-up has closed. <a href="/signup">Ask for a new one</a>.</p>{{/INVALID}}
  {{#FORM}}<form method="post" action="/signup/complete" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <input type="hidden" name="token" value="{{TOKEN}}">
    <label for="signup-email">Email</label>
    <input id="signup-email" type="email" value="{{EMAIL}}" readonly autocomplete="username">
    <label for="signup-name">Your name</label>
    <input id="signup-name" name="name" required maxlength="200" autocomplete="name" value="{{NAME}}">
    <label for="signup-password">Password (at least 15 characters)</label>
    <input id="signup-password" name="password" type="password" required minlength="15" maxlength="1024" autocomplete="new-password">
    <button type="submit">Create my account</button>
  </form>{{/FORM}}
</section>
