{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="sessions-title">
  <h1 id="sessions-title">Your sessions</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  <p class="muted">Every browser or device signed in to your account. Sign out any you do not recognise.</p>
  <table class="table">
    <thead><tr><th scope="col">Address</th><th scope="col">Browser</th><th scope="col">Signed in</th><th scope="col">Last seen</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
    <tbody>
    {{#SESSION}}<tr>
      <td>{{CLIENT}}</td><td class="wrap">{{AGENT}}</td><td>{{CREATED}}</td><td>{{LAST_SEEN}}</td>
      <td>{{#CURRENT}}<strong>This session</strong>{{/CURRENT}}{{#OTHER}}
        <form method="post" action="/account/sessions/{{HANDLE}}/revoke" class="inline">
          <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
          <button type="submit" class="link">Sign out</button>
        </form>{{/OTHER}}</td>
    </tr>{{/SESSION}}
    </tbody>
  </table>
  <form method="post" action="/account/sessions/revoke-others">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <button type="submit">Sign out everywhere else</button>
  </form>
  <p><a href="/account/2fa/recovery-codes">Recovery codes for two-factor authentication</a></p>
</section>
