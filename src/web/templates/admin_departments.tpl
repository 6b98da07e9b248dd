{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="deps-title">
  <p><a href="/admin/">Admin</a></p>
  <h1 id="deps-title">Departments</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  {{#EMPTY}}<p class="muted">No departments yet: every ticket is in the shared inbox.</p>{{/EMPTY}}
  {{#DEPARTMENT}}<article class="admin-item" aria-labelledby="dep-{{ID}}">
    <h2 id="dep-{{ID}}">{{NAME}}</h2>
    <p class="muted">{{TICKETS}} tickets · {{MEMBERS}} members</p>
    <form method="post" action="/admin/departments/{{ID}}/rename" class="inline-form">
      <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
      <label for="dep-name-{{ID}}">New name</label>
      <input id="dep-name-{{ID}}" name="name" required maxlength="100" value="{{NAME}}">
      <button type="submit">Rename</button>
    </form>
    <form method="post" action="/admin/departments/{{ID}}/delete" class="inline-form">
      <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
      <label for="dep-move-{{ID}}">Move its tickets and members to</label>
      <select id="dep-move-{{ID}}" name="move_to">
        <option value="">Nowhere (only when empty)</option>
        {{#TARGET}}<option value="{{ID}}">{{NAME}}</option>{{/TARGET}}
      </select>
      <button type="submit">Delete department</button>
    </form>
  </article>{{/DEPARTMENT}}
  <h2 id="new-dep">New department</h2>
  <form method="post" action="/admin/departments" class="stack" aria-labelledby="new-dep">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="dep-new-name">Name</label>
    <input id="dep-new-name" name="name" required maxlength="100" value="{{NEW_NAME}}">
    <button type="submit">Create department</button>
  </form>
</section>
