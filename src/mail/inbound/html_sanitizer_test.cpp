#include "mail/inbound/html_sanitizer.h"

#include <gtest/gtest.h>
#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace rampart::mail {
namespace {

// Payloads from OWASP's XSS filter evasion list and from XSS reports against helpdesks' mail
// views (entity-encoded schemes, broken tags, SVG and MathML, CSS expressions, meta refresh,
// base href, form actions, conditional comments, data: and vbscript: URLs, event handlers).
const std::vector<std::string> kXssVectors = {
    R"v(<script>alert(1)</script>)v",
    R"v(<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>)v",
    R"v(<IMG SRC="javascript:alert('XSS');">)v",
    R"v(<IMG SRC=javascript:alert('XSS')>)v",
    R"v(<IMG SRC=JaVaScRiPt:alert('XSS')>)v",
    R"v(<IMG SRC=`javascript:alert("RSnake says, 'XSS'")`>)v",
    R"v(<a onmouseover="alert(document.cookie)">xxs link</a>)v",
    R"v(<IMG """><SCRIPT>alert("XSS")</SCRIPT>">)v",
    R"v(<IMG SRC=# onmouseover="alert('xxs')">)v",
    R"v(<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>)v",
    R"v(<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">)v",
    R"v(<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>)v",
    R"v(<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>)v",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    R"v(<IMG SRC="jav&#x09;ascript:alert('XSS');">)v",
    R"v(<IMG SRC="jav&#x0A;ascript:alert('XSS');">)v",
    R"v(<IMG SRC=" &#14;  javascript:alert('XSS');">)v",
    R"v(<SCRIPT/XSS SRC="https://xss.example/xss.js"></SCRIPT>)v",
    R"v(<BODY onload!#$%&()*~+-_.,:;?@[/|\]^`=alert("XSS")>)v",
    R"v(<<SCRIPT>alert("XSS");//\<</SCRIPT>)v",
    R"v(<SCRIPT SRC=//xss.example/.j>)v",
    R"v(<IMG SRC="`<javascript:alert>`('XSS')")v",
    R"v(</TITLE><SCRIPT>alert("XSS");</SCRIPT>)v",
    R"v(<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">)v",
    R"v(<BODY BACKGROUND="javascript:alert('XSS')">)v",
    R"v(<IMG DYNSRC="javascript:alert('XSS')">)v",
    R"v(<IMG LOWSRC="javascript:alert('XSS')">)v",
    R"v(<STYLE>li {list-style-image: url("javascript:alert('XSS')");}</STYLE><UL><LI>XSS</br>)v",
    R"v(<svg/onload=alert('XSS')>)v",
    R"v(<svg><script>alert(1)</script></svg>)v",
    R"v(<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>)v",
    R"v(<LINK REL="stylesheet" HREF="javascript:alert('XSS');">)v",
    R"v(<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">)v",
    R"v(<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">)v",
    R"v(<IFRAME SRC="javascript:alert('XSS');"></IFRAME>)v",
    R"v(<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>)v",
    R"v(<FRAMESET><FRAME SRC="javascript:alert('XSS');"></FRAMESET>)v",
    R"v(<TABLE BACKGROUND="javascript:alert('XSS')">)v",
    R"v(<TABLE><TD BACKGROUND="javascript:alert('XSS')">)v",
    R"v(<DIV STYLE="background-image: url(javascript:alert('XSS'))">)v",
    R"v(<DIV STYLE="background-image:\0075\0072\006C\0028'\006a\0061\0076\0061\0073\0063\0072\0069\0070\0074\003a\0061\006c\0065\0072\0074\0028.1027\0058.1053\0053\0027\0029'\0029">)v",
    R"v(<DIV STYLE="width: expression(alert('XSS'));">)v",
    R"v(<IMG STYLE="xss:expr/*XSS*/ession(alert('XSS'))">)v",
    R"v(<BASE HREF="javascript:alert('XSS');//">)v",
    R"v(<OBJECT TYPE="text/x-scriptlet" DATA="https://xss.example/scriptlet.html"></OBJECT>)v",
    R"v(<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>)v",
    R"v(<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->)v",
    R"v(<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>)v",
    R"v(<a href="vbscript:msgbox('XSS')">click</a>)v",
    R"v(<a href="  &#x6A;avascript:alert(1)">click</a>)v",
    R"v(<a href="java&#x0D;script:alert(1)">click</a>)v",
    R"v(<form action="javascript:alert(1)"><button>Confirm</button></form>)v",
    R"v(<button formaction="javascript:alert(1)">Go</button>)v",
    R"v(<details open ontoggle=alert(1)>)v",
    R"v(<video><source onerror="alert(1)"></video>)v",
    R"v(<noscript><p title="</noscript><img src=x onerror=alert(1)>">)v",
    R"v(<xmp><img src=x onerror=alert(1)></xmp>)v",
    R"v(<template><script>alert(1)</script></template>)v",
    R"v("><img src=x onerror=alert(1)>)v",
    R"v(<p style="position:fixed;top:0;left:0;width:100%;height:100%">Sign in again</p>)v",
    R"v(<img src="https://track.example/p.gif" srcset="javascript:alert(1)">)v",
};

// Every element and attribute the sanitizer may emit; the test re-parses its output and fails
// on anything else, so a change that lets something new through must change this list too.
bool SafeUrlAttribute(std::string value) {
  value.erase(std::remove_if(value.begin(), value.end(),
                             [](char c) { return static_cast<unsigned char>(c) <= 0x20; }),
              value.end());
  std::transform(value.begin(), value.end(), value.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return value.rfind("http:", 0) == 0 || value.rfind("https:", 0) == 0 ||
         value.rfind("mailto:", 0) == 0 || value.rfind("cid:", 0) == 0;
}

void ExpectOnlySafeMarkup(const GumboNode& node, const std::string& input) {
  if (node.type != GUMBO_NODE_ELEMENT) return;
  const GumboElement& element = node.v.element;
  const std::string tag = gumbo_normalized_tagname(element.tag);
  EXPECT_EQ(element.tag_namespace, GUMBO_NAMESPACE_HTML) << input;
  for (const char* forbidden :
       {"script",   "style",    "iframe", "frame", "object", "embed", "form",
        "input",    "button",   "meta",   "link",  "base",   "svg",   "math",
        "template", "noscript", "xmp",    "video", "audio",  "source"}) {
    EXPECT_NE(tag, forbidden) << input;
  }
  for (unsigned i = 0; i < element.attributes.length; ++i) {
    const auto& attribute = *static_cast<const GumboAttribute*>(element.attributes.data[i]);
    const std::string name = attribute.name;
    EXPECT_NE(name.rfind("on", 0), 0u) << name << " in " << input;
    EXPECT_NE(name, "srcset") << input;
    EXPECT_NE(name, "background") << input;
    EXPECT_NE(name, "formaction") << input;
    if (name == "href" || name == "src") {
      EXPECT_TRUE(SafeUrlAttribute(attribute.value)) << attribute.value << " in " << input;
    }
    if (name == "style") {
      const std::string style = attribute.value;
      EXPECT_EQ(style.find("url"), std::string::npos) << input;
      EXPECT_EQ(style.find("expression"), std::string::npos) << input;
      EXPECT_EQ(style.find("position"), std::string::npos) << input;
      EXPECT_EQ(style.find('\\'), std::string::npos) << input;
    }
  }
  for (unsigned i = 0; i < element.children.length; ++i) {
    ExpectOnlySafeMarkup(*static_cast<const GumboNode*>(element.children.data[i]), input);
  }
}

void ExpectSafe(const std::string& input) {
  const SanitizedHtml result = SanitizeHtml(input);
  ASSERT_TRUE(result.rendered) << input;
  GumboOutput* output = gumbo_parse(result.html.c_str());
  ExpectOnlySafeMarkup(*output->root, input);
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  // Sanitizing is a fixed point: what comes out goes through unchanged, so the browser reads
  // the same tree the check above read.
  EXPECT_EQ(SanitizeHtml(result.html).html, result.html) << input;
}

TEST(SanitizeHtml, NoneOfTheKnownXssVectorsSurvives) {
  ASSERT_GE(kXssVectors.size(), 40u);
  for (const std::string& vector : kXssVectors) ExpectSafe(vector);
}

TEST(SanitizeHtml, VectorsInsideRealisticMailStaySafe) {
  for (const std::string& vector : kXssVectors) {
    ExpectSafe("<html><head><title>Re: invoice</title></head><body><table><tr><td>Hello,<br>" +
               vector + "<p>Thanks</p></td></tr></table></body></html>");
  }
}

TEST(SanitizeHtml, KeepsOrdinaryFormatting) {
  const auto result = SanitizeHtml(
      R"v(<p>Hello <b>Ana</b>,</p><table border="0" cellpadding="4"><tr><td colspan="2" )v"
      R"v(style="color: #333; font-weight: bold">Order 1042</td></tr></table>)v"
      R"v(<a href="https://example.com/track?id=1&amp;x=2">Track</a>)v");
  EXPECT_EQ(result.html,
            R"v(<p>Hello <b>Ana</b>,</p><table border="0" cellpadding="4"><tbody><tr>)v"
            R"v(<td colspan="2" style="color: #333; font-weight: bold">Order 1042</td></tr>)v"
            R"v(</tbody></table><a href="https://example.com/track?id=1&amp;x=2" )v"
            R"v(rel="noopener noreferrer nofollow" target="_blank">Track</a>)v");
  EXPECT_FALSE(result.has_remote_images);
}

TEST(SanitizeHtml, DropsScriptsWithTheirContentButUnwrapsForms) {
  const auto result = SanitizeHtml(
      "<script>steal()</script><form action=\"https://evil.example\">"
      "<label>Name</label><input name=a></form><style>p{}</style>");
  EXPECT_EQ(result.html, "Name");
  EXPECT_GT(result.removed, 0u);
}

TEST(SanitizeHtml, RemoteImagesAreKeptAndReportedAndContentIdsCollected) {
  const auto result = SanitizeHtml(
      R"v(<img src="https://cdn.example/logo.png" alt="Logo"><img src="cid:part1.abc@example">)v");
  EXPECT_TRUE(result.has_remote_images);
  ASSERT_EQ(result.content_ids.size(), 1u);
  EXPECT_EQ(result.content_ids[0], "part1.abc@example");
}

TEST(SanitizeHtml, StyleKeepsColoursDropsEverythingThatCanFetchOrOverlay) {
  EXPECT_EQ(SanitizeHtml(R"v(<span style="color: rgb(1,2,3); background: url(x)">a</span>)v").html,
            R"v(<span style="color: rgb(1,2,3)">a</span>)v");
  EXPECT_EQ(SanitizeHtml(R"v(<p style="position: fixed; z-index: 9">a</p>)v").html, "<p>a</p>");
  EXPECT_EQ(SanitizeHtml(R"v(<p style="color: red; width: calc(100% - 1px)">a</p>)v").html,
            R"v(<p style="color: red">a</p>)v");
}

TEST(SanitizeHtml, OutputIsAFixedPointEvenWithLeadingWhiteSpace) {
  // Found by the fuzzer: an unwrapped unknown element left only a line break, which a second
  // parse drops.
  const std::string once = SanitizeHtml("<s(1))\"><img src=x onerror=alert(1)>\n").html;
  EXPECT_EQ(once, "");
  EXPECT_EQ(SanitizeHtml(" \n <b>x</b>").html, "<b>x</b>");
}

TEST(SanitizeHtml, TextIsEscaped) {
  EXPECT_EQ(SanitizeHtml("<p>1 &lt; 2 &amp; &lt;script&gt;</p>").html,
            "<p>1 &lt; 2 &amp; &lt;script&gt;</p>");
}

TEST(SanitizeHtml, OversizedOrOvercomplexInputIsNotRendered) {
  SanitizeLimits limits;
  limits.max_input_bytes = 100;
  EXPECT_FALSE(SanitizeHtml(std::string(101, 'a'), limits).rendered);
  limits = {};
  limits.max_tags = 10;
  EXPECT_FALSE(SanitizeHtml(std::string(11, '<'), limits).rendered);
}

TEST(SanitizeHtml, DeepNestingIsCutOff) {
  std::string deep;
  for (int i = 0; i < 1'500; ++i) deep += "<div>";
  deep += "bottom";
  const auto result = SanitizeHtml(deep);
  EXPECT_TRUE(result.rendered);
  EXPECT_TRUE(result.truncated);
  EXPECT_EQ(result.html.find("bottom"), std::string::npos);
}

TEST(SanitizeHtml, NestingTooDeepToParseCheaplyIsRefusedBeforeParsing) {
  std::string deep;
  for (int i = 0; i < 50'000; ++i) deep += "<div>";
  EXPECT_FALSE(SanitizeHtml(deep).rendered);
}

TEST(SanitizeHtml, LongFlatDocumentsAreRendered) {
  std::string flat;
  for (int i = 0; i < 20'000; ++i) flat += "<p>line<br></p>";
  const auto result = SanitizeHtml(flat);
  EXPECT_TRUE(result.rendered);
  EXPECT_FALSE(result.truncated);
}

TEST(HtmlText, ReadableTextWithoutScriptsOrStyles) {
  EXPECT_EQ(HtmlText("<html><head><style>p{}</style></head><body><p>Hello <b>Ana</b></p>"
                     "<script>x()</script><div>Line two<br>three</div></body></html>"),
            "Hello Ana\nLine two\nthree");
  EXPECT_EQ(HtmlText("<p>1 &lt; 2</p>"), "1 < 2");
  EXPECT_EQ(HtmlText("<script>only</script>"), "");
}

}  // namespace
}  // namespace rampart::mail
