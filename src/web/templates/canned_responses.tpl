{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="canned-title">
  <p><a href="{{BACK}}">{{BACK_LABEL}}</a></p>
  <h1 id="canned-title">{{HEADING}}</h1>
  <p class="muted">Placeholders filled in when a response is inserted: <code>{{PLACEHOLDERS}}</code></p>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  {{#SHARED_LIST}}<h2>Shared responses</h2>
  <ul>{{#ITEM}}<li>{{TITLE}}</li>{{/ITEM}}</ul>{{/SHARED_LIST}}
  {{#EMPTY}}<p class="muted">No canned responses here yet.</p>{{/EMPTY}}
  {{#RESPONSE}}<article class="admin-item" aria-labelledby="canned-{{ID}}">
    <h2 id="canned-{{ID}}">{{TITLE}}</h2>
    <form method="post" action="{{BASE}}/{{ID}}" class="stack">
      <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
      <label for="canned-title-{{ID}}">Title</label>
      <input id="canned-title-{{ID}}" name="title" required maxlength="100" value="{{TITLE}}">
      <label for="canned-body-{{ID}}">Text</label>
      <textarea id="canned-body-{{ID}}" name="body" required rows="4" maxlength="10000">{{BODY}}</textarea>
      <button type="submit">Save</button>
    </form>
    <form method="post" action="{{BASE}}/{{ID}}/delete" class="inline">
      <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
      <button type="submit">Delete “{{TITLE}}”</button>
    </form>
  </article>{{/RESPONSE}}
  <h2 id="new-canned">New response</h2>
  <form method="post" action="{{BASE}}" class="stack" aria-labelledby="new-canned">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="canned-new-title">Title</label>
    <input id="canned-new-title" name="title" required maxlength="100" value="{{NEW_TITLE}}">
    <label for="canned-new-body">Text</label>
    <textarea id="canned-new-body" name="body" required rows="5" maxlength="10000">{{NEW_BODY}}</textarea>
    <button type="submit">Create response</button>
  </form>
</section>
