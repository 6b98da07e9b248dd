{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="home-title">
  <h1 id="home-title">{{HEADING}}</h1>
  <p>{{TEXT}}</p>
</section>
