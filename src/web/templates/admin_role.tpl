{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="role-title">
  <p><a href="/admin/roles">Roles</a></p>
  <h1 id="role-title">{{TITLE}}</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <p>Held by {{HOLDERS}} people.</p>
  {{#BUILTIN}}<p>A built-in role: it cannot be changed or deleted.</p>
  <p>Permissions: {{PERMISSIONS}}</p>{{/BUILTIN}}
  {{#CUSTOM}}<p class="muted">Saving a change signs every holder out; their next sign-in carries the new permissions. You can only include permissions you hold yourself.</p>
  <form method="post" action="/admin/roles/{{ID}}" class="stack">
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
    <button type="submit">Save role</button>
  </form>
  <form method="post" action="/admin/roles/{{ID}}/delete">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <button type="submit" class="secondary">Delete role</button>
  </form>{{/CUSTOM}}
</section>
