{{%AUTOESCAPE context="HTML"}}<article class="card" aria-labelledby="ticket-title">
  <p class="muted"><a href="/agent/">Workspace</a> / {{NUMBER}}</p>
  <h1 id="ticket-title">{{SUBJECT}}</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  {{#COLLISION}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/COLLISION}}
  {{#MAIL_PROBLEMS}}<section class="alert" aria-labelledby="mail-problems-title"><h2 id="mail-problems-title">Mail not delivered</h2>
    <ul>{{#MAIL_PROBLEM}}<li><time>{{AT}}</time> {{TEXT}}</li>{{/MAIL_PROBLEM}}</ul></section>{{/MAIL_PROBLEMS}}
  <div class="ticket-grid">
    <div>
      <ol class="thread">
      {{#MESSAGE_ITEM}}<li class="message author-{{KIND}}{{#INTERNAL}} internal{{/INTERNAL}}" id="message-{{MESSAGE_ID}}">
        <p class="meta"><strong>{{AUTHOR}}</strong> · <time>{{AT}}</time>{{#INTERNAL}} · <span class="tag-internal">Internal note</span>{{/INTERNAL}}</p>
        {{#SENDER_CHECKS}}<p class="sender-checks"><span class="muted">Sender checks:</span> {{LINE}}</p>{{/SENDER_CHECKS}}
        <div class="body">{{BODY}}</div>
        {{#HTML}}<details class="mail-html"{{#OPEN}} open{{/OPEN}}><summary>HTML version</summary>
          <iframe class="mail-frame" sandbox="" src="{{SRC}}" title="{{TITLE}}"></iframe>
          {{#SHOW_IMAGES}}<p><a href="{{HREF}}">Show images</a> <span class="muted">(loads pictures from the sender's servers, which tells them the message was read)</span></p>{{/SHOW_IMAGES}}
        </details>{{/HTML}}
        {{#ATTACHMENTS}}<ul class="attachments" aria-label="Attachments">{{#ATTACHMENT}}<li>{{#PREVIEW}}<img class="preview" src="/attachments/{{ID}}?inline=1" alt="{{NAME}}">{{/PREVIEW}}<a href="/attachments/{{ID}}">{{NAME}}</a> <span class="muted">{{SIZE}} · {{TYPE}}</span></li>{{/ATTACHMENT}}</ul>{{/ATTACHMENTS}}
      </li>{{/MESSAGE_ITEM}}
      </ol>
      {{#CAN_REPLY}}{{#CANNED}}<form method="get" action="/agent/tickets/{{NUMBER}}" class="inline-form canned-picker">
        <label for="canned">Canned response</label>
        <select id="canned" name="canned">
          {{#CANNED_OPTION}}<option value="{{ID}}">{{TITLE}}{{#SHARED}} (shared){{/SHARED}}</option>{{/CANNED_OPTION}}
        </select>
        <button type="submit">Insert</button>
        <a href="/agent/canned-responses">Manage</a>
      </form>{{/CANNED}}
      <form method="post" action="/agent/tickets/{{NUMBER}}/reply" class="stack" enctype="multipart/form-data">
        <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
        <input type="hidden" name="seen_updated_at" value="{{UPDATED_AT}}">
        <label for="reply">Reply or note</label>
        <textarea id="reply" name="body" required rows="6" maxlength="100000">{{DRAFT}}</textarea>
        <label for="reply-files">Attach files (optional)</label>
        <input id="reply-files" name="files" type="file" multiple>
        <fieldset class="choices">
          <legend>Send as</legend>
          <label><input type="radio" name="kind" value="reply" checked> Public reply</label>
          <label><input type="radio" name="kind" value="note"> Internal note</label>
        </fieldset>
        <button type="submit">Send</button>
      </form>{{/CAN_REPLY}}
    </div>
    <aside aria-label="Ticket details" class="stack">
      <p>Requester: <strong>{{REQUESTER}}</strong> &lt;{{REQUESTER_EMAIL}}&gt;</p>
      <p>Department: {{DEPARTMENT}}</p>
      <p>Assignee: {{ASSIGNEE}}</p>
      <p>Created {{CREATED}} · updated {{UPDATED}}</p>
      {{#MERGED}}<p>Merged into <a href="/agent/tickets/{{INTO}}">{{INTO}}</a></p>{{/MERGED}}
      {{#TAGS}}<p>Tags: {{LIST}}</p>{{/TAGS}}
      {{#EDITABLE}}<form method="post" action="/agent/tickets/{{NUMBER}}/status" class="stack">
        <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
        <label for="status">Status</label>
        <select id="status" name="status">{{#STATUS_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/STATUS_OPTION}}</select>
        <button type="submit" class="secondary">Set status</button>
      </form>
      <form method="post" action="/agent/tickets/{{NUMBER}}/priority" class="stack">
        <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
        <label for="priority">Priority</label>
        <select id="priority" name="priority">{{#PRIORITY_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/PRIORITY_OPTION}}</select>
        <button type="submit" class="secondary">Set priority</button>
      </form>
      <form method="post" action="/agent/tickets/{{NUMBER}}/assign" class="stack">
        <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
        <input type="hidden" name="assignee" value="me">
        <button type="submit" class="secondary">Assign to me</button>
      </form>
      <form method="post" action="/agent/tickets/{{NUMBER}}/merge" class="stack">
        <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
        <label for="target">Merge into ticket</label>
        <input id="target" name="target" placeholder="RMP-1042" maxlength="20" required>
        <label><input type="checkbox" name="different_requesters" value="1"> The requesters differ and I accept that each will see the other's replies</label>
        <button type="submit" class="secondary">Merge</button>
      </form>{{/EDITABLE}}
      <details>
        <summary>History</summary>
        <ol class="history">{{#HISTORY}}<li><time>{{AT}}</time> {{ACTOR}}: {{FIELD}} {{OLD}} → {{NEW}}</li>{{/HISTORY}}</ol>
      </details>
    </aside>
  </div>
</article>
