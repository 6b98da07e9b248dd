{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="admin-title">
  <h1 id="admin-title">Admin</h1>
  <nav aria-label="Admin sections">
    <ul class="admin-links">
      {{#SECTION}}<li><a href="{{HREF}}">{{LABEL}}</a> <span class="muted">{{TEXT}}</span></li>{{/SECTION}}
    </ul>
  </nav>
</section>
