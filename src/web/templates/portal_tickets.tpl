{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="tickets-title">
  <div class="row-between">
    <h1 id="tickets-title">My tickets</h1>
    <a class="button" href="/portal/tickets/new">New ticket</a>
  </div>
  {{#EMPTY}}<p class="muted">You have no tickets yet. Open one and we will answer by email and here.</p>{{/EMPTY}}
  {{#HAS_ROWS}}<table class="table">
    <thead><tr><th scope="col">Ticket</th><th scope="col">Subject</th><th scope="col">Status</th><th scope="col">Updated</th></tr></thead>
    <tbody>
    {{#ROW}}<tr>
      <td><a href="/portal/tickets/{{NUMBER}}">{{NUMBER}}</a></td>
      <td>{{SUBJECT}}</td>
      <td><span class="status status-{{STATUS}}">{{STATUS_LABEL}}</span></td>
      <td>{{UPDATED}}</td>
    </tr>{{/ROW}}
    </tbody>
  </table>{{/HAS_ROWS}}
  {{#NEXT}}<p><a href="/portal/?cursor={{CURSOR:u}}">Older tickets</a></p>{{/NEXT}}
</section>
