{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="mail-templates-title">
  <p><a href="/admin/">Admin</a></p>
  <h1 id="mail-templates-title">Mail templates</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <p>Each notification is plain text. These placeholders are filled in as plain text:
    {{#PLACEHOLDER}}<code>{{NAME}}</code> {{/PLACEHOLDER}}. Any other placeholder is refused. The HTML version of each mail is the same text, escaped.</p>
  <form method="post" action="/admin/mail-templates" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label><input type="checkbox" name="acknowledge" value="1"{{#ACKNOWLEDGE}} checked{{/ACKNOWLEDGE}}> Acknowledge new tickets to their requester (never to automatic mail)</label>
    {{#KIND}}<fieldset class="stack">
      <legend>{{LABEL}}{{#DEFAULT}} <span class="muted">(default)</span>{{/DEFAULT}}</legend>
      <label for="{{KIND}}-subject">Subject</label>
      <input id="{{KIND}}-subject" name="{{KIND}}.subject" required maxlength="{{MAX_SUBJECT}}" value="{{SUBJECT}}">
      <label for="{{KIND}}-body">Body</label>
      <textarea id="{{KIND}}-body" name="{{KIND}}.body" rows="8" required maxlength="{{MAX_BODY}}">{{BODY}}</textarea>
    </fieldset>{{/KIND}}
    <button type="submit">Save</button>
  </form>
</section>
