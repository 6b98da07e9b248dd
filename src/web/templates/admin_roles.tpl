{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="roles-title">
  <p><a href="/admin/users">Users</a></p>
  <h1 id="roles-title">Roles</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  <table class="table">
    <thead><tr><th scope="col">Role</th><th scope="col">Permissions</th><th scope="col">Departments</th><th scope="col">Holders</th></tr></thead>
    <tbody>
    {{#ROLE_ROW}}<tr>
      <td><a href="/admin/roles/{{ID}}">{{NAME}}</a>{{#BUILTIN}} <span class="muted">(built-in)</span>{{/BUILTIN}}<br><span class="muted">{{DESCRIPTION}}</span></td>
      <td class="wrap">{{PERMISSIONS}}</td><td>{{SCOPE}}</td><td>{{HOLDERS}}</td>
    </tr>{{/ROLE_ROW}}
    </tbody>
  </table>
  <h2 id="new-role-title">New custom role</h2>
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <p class="muted">You can only include permissions you hold yourself.</p>
  <form method="post" action="/admin/roles" class="stack" aria-labelledby="new-role-title">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="name">Name</label>
    <input id="name" name="name" required maxlength="60" value="{{NAME}}">
    <label for="description">Description</label>
    <input id="description" name="description" maxlength="300" value="{{DESCRIPTION}}">
    <fieldset>
      <legend>Permissions</legend>
      {{#PERMISSION}}<label><input type="checkbox" name="permission" value="{{NAME}}"{{#CHECKED}} checked{{/CHECKED}}> <code>{{NAME}}</code> {{DESCRIPTION}}</label>{{/PERMISSION}}
    </fieldset>
    <fieldset>
      <legend>Department scope</legend>
      <label><input type="radio" name="scope" value="listed"{{#SCOPE_LISTED}} checked{{/SCOPE_LISTED}}> The departments listed for each person</label>
      <label><input type="radio" name="scope" value="all"{{#SCOPE_ALL}} checked{{/SCOPE_ALL}}> All departments</label>
    </fieldset>
    <button type="submit">Create role</button>
  </form>
</section>
