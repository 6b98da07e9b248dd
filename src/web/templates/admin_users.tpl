{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="users-title">
  <div class="row-between">
    <h1 id="users-title">Users</h1>
    <p><a class="button" href="/admin/users/new">New user</a> <a href="/admin/roles">Roles</a> · <a href="/admin/access-review">Access review</a></p>
  </div>
  <form method="get" action="/admin/users" class="filters" role="search" aria-label="Filter users">
    <label for="q">Name or email</label>
    <input id="q" name="q" value="{{Q}}" maxlength="200">
    <label for="audience">Who</label>
    <select id="audience" name="audience">
      <option value=""{{#AUDIENCE_ALL}} selected{{/AUDIENCE_ALL}}>Everyone</option>
      <option value="staff"{{#AUDIENCE_STAFF}} selected{{/AUDIENCE_STAFF}}>Staff</option>
      <option value="end_users"{{#AUDIENCE_END_USERS}} selected{{/AUDIENCE_END_USERS}}>End users</option>
    </select>
    <label for="role">Role</label>
    <select id="role" name="role">
      <option value="">Any role</option>
      {{#FILTER_ROLE}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/FILTER_ROLE}}
    </select>
    <label for="state">State</label>
    <select id="state" name="state">
      <option value=""{{#STATE_ALL}} selected{{/STATE_ALL}}>Any</option>
      <option value="active"{{#STATE_ACTIVE}} selected{{/STATE_ACTIVE}}>Active</option>
      <option value="disabled"{{#STATE_DISABLED}} selected{{/STATE_DISABLED}}>Disabled</option>
    </select>
    <button type="submit">Filter</button>
  </form>
  {{#EMPTY}}<p class="muted">No user matches.</p>{{/EMPTY}}
  <table class="table">
    <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Departments</th><th scope="col">Organization</th><th scope="col">2FA</th><th scope="col">Last sign-in</th><th scope="col">State</th></tr></thead>
    <tbody>
    {{#USER_ROW}}<tr>
      <td><a href="/admin/users/{{ID}}">{{EMAIL}}</a></td><td>{{NAME}}</td><td>{{ROLE}}</td><td>{{DEPARTMENTS}}</td><td>{{ORGANIZATION}}</td><td>{{TWO_FACTOR}}</td><td>{{LAST_SIGN_IN}}</td><td>{{STATE}}</td>
    </tr>{{/USER_ROW}}
    </tbody>
  </table>
</section>
