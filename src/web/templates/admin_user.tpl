{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="user-title">
  <p><a href="/admin/users">Users</a></p>
  <h1 id="user-title">{{EMAIL}}</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <dl>
    <dt>Name</dt><dd>{{NAME}}</dd>
    <dt>Role</dt><dd>{{ROLE}}</dd>
    <dt>Permissions</dt><dd>{{PERMISSIONS}}</dd>
    <dt>Departments</dt><dd>{{DEPARTMENTS}}</dd>
    <dt>Two-factor</dt><dd>{{TWO_FACTOR}}</dd>
    <dt>Last sign-in</dt><dd>{{LAST_SIGN_IN}}</dd>
    <dt>Created</dt><dd>{{CREATED}}</dd>
    <dt>State</dt><dd>{{#ACTIVE}}Active{{/ACTIVE}}{{#DISABLED}}Disabled{{/DISABLED}}</dd>
  </dl>
  <h2>Access</h2>
  <p class="muted">Saving ends this person's sessions: they sign in again with the new access.</p>
  <form method="post" action="/admin/users/{{ID}}/access" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="role_id">Role</label>
    <select id="role_id" name="role_id">
      {{#ROLE_OPTION}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/ROLE_OPTION}}
    </select>
    <fieldset>
      <legend>Departments (staff)</legend>
      <label><input type="checkbox" name="all_departments" value="1"{{#ALL_DEPARTMENTS}} checked{{/ALL_DEPARTMENTS}}> All departments</label>
      {{#DEPARTMENT}}<label><input type="checkbox" name="department_id" value="{{ID}}"{{#CHECKED}} checked{{/CHECKED}}> {{NAME}}</label>{{/DEPARTMENT}}
    </fieldset>
    <label for="organization_id">Organization (end users)</label>
    <select id="organization_id" name="organization_id">
      <option value="">None</option>
      {{#ORGANIZATION}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/ORGANIZATION}}
    </select>
    <button type="submit">Save access</button>
  </form>
  <h2>Sign-in</h2>
  {{#ACTIVE}}<form method="post" action="/admin/users/{{ID}}/disable">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <button type="submit" class="secondary">Disable account</button>
  </form>{{/ACTIVE}}
  {{#DISABLED}}<form method="post" action="/admin/users/{{ID}}/enable">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <button type="submit">Enable account</button>
  </form>{{/DISABLED}}
</section>
