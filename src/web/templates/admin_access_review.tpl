{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="review-title">
  <h1 id="review-title">Access review</h1>
  <p class="muted">{{COUNT}} staff accounts, as of {{GENERATED}}. The same list is printed by <code>rampart access-review</code>.</p>
  <table class="table">
    <thead><tr><th scope="col">Person</th><th scope="col">Role and permissions</th><th scope="col">Departments</th><th scope="col">2FA</th><th scope="col">Last sign-in</th><th scope="col">State</th><th scope="col">API tokens</th></tr></thead>
    <tbody>
    {{#STAFF}}<tr>
      <td><a href="/admin/users/{{ID}}">{{EMAIL}}</a><br>{{NAME}}</td>
      <td><strong>{{ROLE}}</strong><br><span class="wrap">{{PERMISSIONS}}</span></td>
      <td>{{DEPARTMENTS}}</td><td>{{TWO_FACTOR}}</td><td>{{LAST_SIGN_IN}}</td><td>{{STATE}}</td>
      <td>{{#NO_TOKENS}}None{{/NO_TOKENS}}<ul>{{#TOKEN}}<li>{{NAME}}: {{SCOPE}}, {{STATE}}, created {{CREATED}}, last used {{LAST_USED}}</li>{{/TOKEN}}</ul></td>
    </tr>{{/STAFF}}
    </tbody>
  </table>
</section>
