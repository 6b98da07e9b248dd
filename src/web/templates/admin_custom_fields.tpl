{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="fields-title">
  <p><a href="/admin/">Admin</a></p>
  <h1 id="fields-title">Custom fields</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  {{#EMPTY}}<p class="muted">No custom fields yet.</p>{{/EMPTY}}
  {{#HAS_ROWS}}<table class="table">
    <thead><tr><th scope="col">Label</th><th scope="col">Key</th><th scope="col">Kind</th><th scope="col">Required</th><th scope="col">State</th></tr></thead>
    <tbody>
    {{#ROW}}<tr>
      <td><a href="/admin/custom-fields/{{ID}}">{{LABEL}}</a></td>
      <td><code>{{KEY}}</code></td>
      <td>{{KIND}}</td>
      <td>{{REQUIRED}}</td>
      <td>{{STATE}}</td>
    </tr>{{/ROW}}
    </tbody>
  </table>{{/HAS_ROWS}}
  <h2 id="new-field">New field</h2>
  <form method="post" action="/admin/custom-fields" class="stack" aria-labelledby="new-field">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="field-label">Label</label>
    <input id="field-label" name="label" required maxlength="100" value="{{LABEL}}">
    <label for="field-key">Key (for the API: a-z, 0-9 and _)</label>
    <input id="field-key" name="key" required maxlength="50" pattern="[a-z][a-z0-9_]*" value="{{KEY}}">
    <label for="field-kind">Kind</label>
    <select id="field-kind" name="kind">
      {{#KIND_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{VALUE}}</option>{{/KIND_OPTION}}
    </select>
    <label for="field-options">Dropdown options, one per line ("value" or "value | label")</label>
    <textarea id="field-options" name="options" rows="4" maxlength="30000">{{OPTIONS}}</textarea>
    <label><input type="checkbox" name="required" value="1"> Required</label>
    <label><input type="checkbox" name="end_user_visible" value="1"> Customers can see it</label>
    <label><input type="checkbox" name="end_user_editable" value="1"> Customers can fill it in</label>
    <button type="submit">Create field</button>
  </form>
</section>
