{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="field-title">
  <p><a href="/admin/custom-fields">Custom fields</a></p>
  <h1 id="field-title">{{LABEL}}</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <p>Key <code>{{KEY}}</code> · {{KIND}} · {{STATE}}</p>
  <form method="post" action="/admin/custom-fields/{{ID}}" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="field-label">Label</label>
    <input id="field-label" name="label" required maxlength="100" value="{{LABEL}}">
    {{#DROPDOWN}}<label for="field-options">Options, one per line ("value" or "value | label")</label>
    <textarea id="field-options" name="options" rows="6" maxlength="30000">{{OPTIONS}}</textarea>{{/DROPDOWN}}
    <label><input type="checkbox" name="required" value="1"{{#REQUIRED}} checked{{/REQUIRED}}> Required</label>
    <label><input type="checkbox" name="end_user_visible" value="1"{{#VISIBLE}} checked{{/VISIBLE}}> Customers can see it</label>
    <label><input type="checkbox" name="end_user_editable" value="1"{{#EDITABLE}} checked{{/EDITABLE}}> Customers can fill it in</label>
    <button type="submit">Save</button>
  </form>
  <form method="post" action="/admin/custom-fields/{{ID}}/active" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <input type="hidden" name="active" value="{{NEXT_ACTIVE}}">
    <button type="submit">{{TOGGLE_LABEL}}</button>
  </form>
</section>
