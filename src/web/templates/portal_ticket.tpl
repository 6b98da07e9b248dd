{{%AUTOESCAPE context="HTML"}}<article class="card" aria-labelledby="ticket-title">
  <p class="muted"><a href="/portal/">My tickets</a> / {{NUMBER}}</p>
  <h1 id="ticket-title">{{SUBJECT}}</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <p><span class="status status-{{STATUS}}">{{STATUS_LABEL}}</span> · opened {{CREATED}}{{#MERGED}} · merged into {{INTO}}{{/MERGED}}</p>
  <ol class="thread">
  {{#MESSAGE_ITEM}}<li class="message author-{{KIND}}">
    <p class="meta"><strong>{{AUTHOR}}</strong> · <time>{{AT}}</time></p>
    <div class="body">{{BODY}}</div>
  </li>{{/MESSAGE_ITEM}}
  </ol>
  {{#CAN_REPLY}}<form method="post" action="/portal/tickets/{{NUMBER}}/reply" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="reply">Your reply</label>
    <textarea id="reply" name="body" required rows="6" maxlength="100000"></textarea>
    <button type="submit">Send reply</button>
  </form>{{/CAN_REPLY}}
  {{#CAN_CLOSE}}<form method="post" action="/portal/tickets/{{NUMBER}}/status" class="inline">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <input type="hidden" name="status" value="solved">
    <button type="submit" class="secondary">Mark as solved</button>
  </form>{{/CAN_CLOSE}}
  {{#CAN_REOPEN}}<form method="post" action="/portal/tickets/{{NUMBER}}/status" class="inline">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <input type="hidden" name="status" value="open">
    <button type="submit" class="secondary">Reopen</button>
  </form>{{/CAN_REOPEN}}
</article>
