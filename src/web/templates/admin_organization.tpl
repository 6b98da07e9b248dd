{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="org-title">
  <p><a href="/admin/organizations">Organizations</a></p>
  <h1 id="org-title">{{NAME}}</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <form method="post" action="/admin/organizations/{{ID}}" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="org-name">Name</label>
    <input id="org-name" name="name" required maxlength="200" value="{{NAME}}">
    <label><input type="checkbox" name="shared_tickets" value="1"{{#SHARED}} checked{{/SHARED}}> Members see each other's tickets</label>
    <button type="submit">Save</button>
  </form>
  <h2>Members ({{COUNT}})</h2>
  {{#NO_MEMBERS}}<p class="muted">Nobody belongs to this organization yet.</p>{{/NO_MEMBERS}}
  <ul>
    {{#MEMBER}}<li>{{NAME}} &lt;{{EMAIL}}&gt;</li>{{/MEMBER}}
  </ul>
</section>
