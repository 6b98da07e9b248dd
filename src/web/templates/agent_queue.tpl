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
    {{#HELD}}<a href="/mail/held">Held mail ({{COUNT}})</a>{{/HELD}}
  </nav>
  {{#EMPTY}}<p class="muted">No tickets here.</p>{{/EMPTY}}
  {{#HAS_ROWS}}<form method="post" action="/agent/bulk" aria-label="Change several tickets">
  <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
  <input type="hidden" name="view" value="{{VIEW}}">
  <table class="table">
    <thead><tr><th scope="col"><span class="visually-hidden">Select</span></th><th scope="col">Ticket</th><th scope="col">Subject</th><th scope="col">Requester</th><th scope="col">Status</th><th scope="col">Priority</th><th scope="col">Department</th><th scope="col">Assignee</th><th scope="col">Updated</th></tr></thead>
    <tbody>
    {{#ROW}}<tr>
      <td><input type="checkbox" name="ticket" value="{{NUMBER}}" id="select-{{NUMBER}}" aria-label="Select {{NUMBER}}"></td>
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
  </table>
  <fieldset class="bulk">
    <legend>With the selected tickets (at most 50)</legend>
    <label for="bulk-assignee">Assign to</label>
    <select id="bulk-assignee" name="assignee">
      <option value="me">Me</option>
      <option value="nobody">Nobody</option>
      {{#AGENT}}<option value="{{ID}}">{{NAME}}</option>{{/AGENT}}
    </select>
    <button type="submit" name="change" value="assign">Assign</button>
    <label for="bulk-status">Set status</label>
    <select id="bulk-status" name="status">
      {{#STATUS_OPTION}}<option value="{{VALUE}}">{{LABEL}}</option>{{/STATUS_OPTION}}
    </select>
    <button type="submit" name="change" value="status">Set status</button>
  </fieldset>
  </form>{{/HAS_ROWS}}
  {{#NEXT}}<p><a href="/agent/?view={{VIEW}}&amp;cursor={{CURSOR:u}}">Next page</a></p>{{/NEXT}}
</section>
