{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="new-user-title">
  <h1 id="new-user-title">New user</h1>
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <p class="muted">The new user gets a one-time password, shown once on the next page, and must choose their own at first sign-in.</p>
  <form method="post" action="/admin/users" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="email">Email</label>
    <input id="email" name="email" type="email" required maxlength="254" value="{{EMAIL}}">
    <label for="name">Name</label>
    <input id="name" name="name" maxlength="200" value="{{NAME}}">
    <label for="role_id">Role</label>
    <select id="role_id" name="role_id">
      {{#ROLE_OPTION}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/ROLE_OPTION}}
    </select>
    <fieldset>
      <legend>Departments (staff)</legend>
      <label><input type="checkbox" name="all_departments" value="1"> All departments</label>
      {{#DEPARTMENT}}<label><input type="checkbox" name="department_id" value="{{ID}}"{{#CHECKED}} checked{{/CHECKED}}> {{NAME}}</label>{{/DEPARTMENT}}
    </fieldset>
    <label for="organization_id">Organization (end users)</label>
    <select id="organization_id" name="organization_id">
      <option value="">None</option>
      {{#ORGANIZATION}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/ORGANIZATION}}
    </select>
    <button type="submit">Create user</button>
  </form>
</section>
