{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="invalid-title">
  <h1 id="invalid-title">This link is not valid</h1>
  <p>A password reset link works once and for 30 minutes. This one was used, has expired, or was copied incompletely.</p>
  <p><a href="/login/forgot">Ask for a new link</a></p>
</section>
