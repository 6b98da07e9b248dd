{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="created-title">
  <h1 id="created-title">User created</h1>
  <p><a href="/admin/users/{{ID}}">{{EMAIL}}</a> can now sign in with this one-time password. It is shown only now: pass it on safely. They must choose their own password at first sign-in.</p>
  <p><code class="secret" id="one-time-password">{{PASSWORD}}</code></p>
  <p><a href="/admin/users">Back to users</a></p>
</section>
