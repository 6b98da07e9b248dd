{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="orgs-title">
  <p><a href="/admin/">Admin</a></p>
  <h1 id="orgs-title">Organizations</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  {{#EMPTY}}<p class="muted">No organizations yet.</p>{{/EMPTY}}
  {{#HAS_ROWS}}<table class="table">
    <thead><tr><th scope="col">Name</th><th scope="col">Members see each other's tickets</th><th scope="col">Members</th></tr></thead>
    <tbody>
    {{#ROW}}<tr>
      <td><a href="/admin/organizations/{{ID}}">{{NAME}}</a></td>
      <td>{{SHARED}}</td>
      <td>{{MEMBERS}}</td>
    </tr>{{/ROW}}
    </tbody>
  </table>{{/HAS_ROWS}}
  <h2 id="new-org">New organization</h2>
  <form method="post" action="/admin/organizations" class="stack" aria-labelledby="new-org">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="org-name">Name</label>
    <input id="org-name" name="name" required maxlength="200" value="{{NAME}}">
    <label><input type="checkbox" name="shared_tickets" value="1"> Members see each other's tickets</label>
    <button type="submit">Create organization</button>
  </form>
</section>
