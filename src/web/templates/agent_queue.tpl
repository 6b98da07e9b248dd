{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="queue-title">
  <div class="row-between">
    <h1 id="queue-title">{{VIEW_LABEL}}</h1>
    <form method="get" action="/agent/search" class="inline search" role="search">
      <label for="q" class="visually-hidden">Search tickets</label>
      <input id="q" name="q" type="search" placeholder="Search tickets" maxlength="200" value="{{QUERY}}">
      <button type="submit">Search</button>
    </form>
  </div>
  <nav class="tabs" aria-label="Views">
    {{#TAB}}<a href="/agent/?view={{VIEW}}"{{#CURRENT}} aria-current="page"{{/CURRENT}}>{{LABEL}}</a>{{/TAB}}
  </nav>
  {{#EMPTY}}<p class="muted">No tickets here.</p>{{/EMPTY}}
  {{#HAS_ROWS}}<table class="table">
    <thead><tr><th scope="col">Ticket</th><th scope="col">Subject</th><th scope="col">Requester</th><th scope="col">Status</th><th scope="col">Priority</th><th scope="col">Department</th><th scope="col">Assignee</th><th scope="col">Updated</th></tr></thead>
    <tbody>
    {{#ROW}}<tr>
      <td><a href="/agent/tickets/{{NUMBER}}">{{NUMBER}}</a></td>
      <td>{{SUBJECT}}</td>
      <td>{{REQUESTER}}</td>
      <td><span class="status status-{{STATUS}}">{{STATUS_LABEL}}</span></td>
      <td><span class="priority priority-{{PRIORITY}}">{{PRIORITY}}</span></td>
      <td>{{DEPARTMENT}}</td>
      <td>{{ASSIGNEE}}</td>
      <td>{{UPDATED}}</td>
    </tr>{{/ROW}}
    </tbody>
  </table>{{/HAS_ROWS}}
  {{#NEXT}}<p><a href="/agent/?view={{VIEW}}&amp;cursor={{CURSOR:u}}">Next page</a></p>{{/NEXT}}
</section>
