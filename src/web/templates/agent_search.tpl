{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="search-title">
  <h1 id="search-title">Search</h1>
  <form method="get" action="{{ACTION}}" class="inline search" role="search">
    <label for="q" class="visually-hidden">Search tickets</label>
    <input id="q" name="q" type="search" maxlength="200" value="{{QUERY}}">
    <button type="submit">Search</button>
  </form>
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  {{#EMPTY}}<p class="muted">Nothing matched.</p>{{/EMPTY}}
  <ol class="results">
  {{#HIT}}<li>
    <p><a href="{{BASE}}{{NUMBER}}">{{NUMBER}} · {{SUBJECT}}</a> <span class="status status-{{STATUS}}">{{STATUS_LABEL}}</span></p>
    <p class="snippet">{{SNIPPET:none}}</p>
  </li>{{/HIT}}
  </ol>
</section>
