#include "mime/form_data.h"

#include <gtest/gtest.h>

#include <string>

namespace rampart::mime {
namespace {

constexpr const char* kType = "multipart/form-data; boundary=XyZ";

std::string Part(const std::string& disposition, const std::string& content,
                 const std::string& extra_headers = "") {
  return "--XyZ\r\nContent-Disposition: " + disposition + "\r\n" + extra_headers + "\r\n" +
         content + "\r\n";
}

TEST(ParseFormData, ReadsFieldsAndFiles) {
  const std::string body =
      Part("form-data; name=\"csrf_token\"", "t0k") +
      Part("form-data; name=\"body\"", "line one\r\nline two") +
      Part("form-data; name=\"file\"; filename=\"a.png\"", std::string("\x89PNG\r\n\0\x01", 8),
           "Content-Type: Image/PNG\r\n") +
      "--XyZ--\r\n";
  const FormParse p = ParseFormData(kType, body);
  ASSERT_EQ(p.error, FormError::kNone) << FormErrorName(p.error);
  ASSERT_TRUE(p.form);
  EXPECT_EQ(p.form->Field("csrf_token"), "t0k");
  EXPECT_EQ(p.form->Field("body"), "line one\r\nline two");
  ASSERT_EQ(p.form->files.size(), 1U);
  EXPECT_EQ(p.form->files[0].field, "file");
  EXPECT_EQ(p.form->files[0].filename, "a.png");
  EXPECT_EQ(p.form->files[0].declared_type, "image/png");
  EXPECT_EQ(p.form->files[0].bytes, std::string("\x89PNG\r\n\0\x01", 8));
}

TEST(ParseFormData, DecodesRfc2231AndRawUtf8Filenames) {
  const std::string body =
      Part("form-data; name=\"a\"; filename*=UTF-8''Fehlerbericht%20%C3%BC.txt", "x") +
      Part("form-data; name=\"b\"; filename=\"r\xC3\xA9sum\xC3\xA9.pdf\"", "y") + "--XyZ--";
  const FormParse p = ParseFormData(kType, body);
  ASSERT_EQ(p.error, FormError::kNone) << FormErrorName(p.error);
  ASSERT_EQ(p.form->files.size(), 2U);
  EXPECT_EQ(p.form->files[0].filename, "Fehlerbericht \xC3\xBC.txt");
  EXPECT_EQ(p.form->files[1].filename, "r\xC3\xA9sum\xC3\xA9.pdf");
}

TEST(ParseFormData, DropsAnEmptyFileInput) {
  const std::string body = Part("form-data; name=\"file\"; filename=\"\"", "",
                                "Content-Type: application/octet-stream\r\n") +
                           "--XyZ--\r\n";
  const FormParse p = ParseFormData(kType, body);
  ASSERT_EQ(p.error, FormError::kNone);
  EXPECT_TRUE(p.form->files.empty());
}

TEST(ParseFormData, IgnoresPreambleAndEpilogue) {
  const std::string body = "preamble\r\n" + Part("form-data; name=\"a\"", "1") + "--XyZ--\r\nbye";
  const FormParse p = ParseFormData(kType, body);
  ASSERT_EQ(p.error, FormError::kNone);
  EXPECT_EQ(p.form->Field("a"), "1");
}

TEST(ParseFormData, RefusesOtherTypesAndMissingOrBadBoundaries) {
  const std::string body = Part("form-data; name=\"a\"", "1") + "--XyZ--";
  EXPECT_EQ(ParseFormData("application/x-www-form-urlencoded", "a=1").error,
            FormError::kNotFormData);
  EXPECT_EQ(ParseFormData("multipart/mixed; boundary=XyZ", body).error, FormError::kNotFormData);
  EXPECT_EQ(ParseFormData("multipart/form-data", body).error, FormError::kNoBoundary);
  EXPECT_EQ(ParseFormData("multipart/form-data; boundary=\"\"", body).error,
            FormError::kNoBoundary);
  EXPECT_EQ(ParseFormData("multipart/form-data; boundary=" + std::string(71, 'a'), body).error,
            FormError::kNoBoundary);
  EXPECT_EQ(ParseFormData("multipart/form-data; boundary=\"a<b\"", body).error,
            FormError::kNoBoundary);
  EXPECT_EQ(ParseFormData(std::string("multipart/form-data; boundary=XyZ\0x", 36), body).error,
            FormError::kNotFormData);
}

TEST(ParseFormData, RefusesUnterminatedBodies) {
  EXPECT_EQ(ParseFormData(kType, "").error, FormError::kUnterminated);
  EXPECT_EQ(ParseFormData(kType, "no delimiter at all").error, FormError::kUnterminated);
  EXPECT_EQ(ParseFormData(kType, Part("form-data; name=\"a\"", "1")).error,
            FormError::kUnterminated);
  EXPECT_EQ(ParseFormData(kType, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"").error,
            FormError::kUnterminated);
  EXPECT_EQ(ParseFormData(kType, "--XyZ").error, FormError::kUnterminated);
}

TEST(ParseFormData, RefusesPartsWithoutAName) {
  EXPECT_EQ(ParseFormData(kType, "--XyZ\r\n\r\nx\r\n--XyZ--").error, FormError::kMissingName);
  EXPECT_EQ(ParseFormData(kType, Part("attachment; name=\"a\"", "1") + "--XyZ--").error,
            FormError::kMissingName);
  EXPECT_EQ(ParseFormData(kType, Part("form-data", "1") + "--XyZ--").error,
            FormError::kMissingName);
  EXPECT_EQ(ParseFormData(kType, "--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--").error,
            FormError::kMissingName);
}

TEST(ParseFormData, RefusesNestedMultiparts) {
  const std::string inner =
      "--in\r\nContent-Disposition: attachment; filename=\"x\"\r\n\r\nx\r\n"
      "--in--";
  const std::string body =
      Part("form-data; name=\"files\"", inner, "Content-Type: multipart/mixed; boundary=in\r\n") +
      "--XyZ--";
  EXPECT_EQ(ParseFormData(kType, body).error, FormError::kNestedMultipart);
}

TEST(ParseFormData, RefusesMalformedHeaders) {
  // Repeated disposition: which one a reader believes is what smuggling plays on.
  EXPECT_EQ(ParseFormData(kType, Part("form-data; name=\"a\"", "1",
                                      "Content-Disposition: form-data; name=\"b\"\r\n") +
                                     "--XyZ--")
                .error,
            FormError::kMalformed);
  EXPECT_EQ(ParseFormData(kType, "--XyZ\r\nno colon here\r\n\r\n1\r\n--XyZ--").error,
            FormError::kMalformed);
  EXPECT_EQ(ParseFormData(
                kType, Part("form-data; name=\"a\"", "1", "Content-Transfer-Encoding: base64\r\n") +
                           "--XyZ--")
                .error,
            FormError::kMalformed);
  const std::string with_nul = "--XyZ\r\nContent-Disposition: form-data; name=\"a" +
                               std::string(1, '\0') + "b\"\r\n\r\n1\r\n--XyZ--";
  EXPECT_EQ(ParseFormData(kType, with_nul).error, FormError::kMalformed);
  // A part without its blank line must not swallow the next part's headers.
  EXPECT_EQ(ParseFormData(kType,
                          "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n--XyZ\r\n"
                          "Content-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n--XyZ--")
                .error,
            FormError::kMalformed);
}

TEST(ParseFormData, EnforcesLimits) {
  FormLimits limits;
  limits.max_parts = 2;
  limits.max_header_bytes = 100;
  limits.max_field_bytes = 10;
  limits.max_file_bytes = 20;
  limits.max_total_bytes = 1000;
  const std::string three = Part("form-data; name=\"a\"", "1") +
                            Part("form-data; name=\"b\"", "2") +
                            Part("form-data; name=\"c\"", "3") + "--XyZ--";
  EXPECT_EQ(ParseFormData(kType, three, limits).error, FormError::kTooManyParts);
  const std::string huge_header =
      Part("form-data; name=\"a\"; x=\"" + std::string(200, 'h') + "\"", "1") + "--XyZ--";
  EXPECT_EQ(ParseFormData(kType, huge_header, limits).error, FormError::kHeaderTooLarge);
  // Even without any blank line: the search stops at the limit.
  EXPECT_EQ(ParseFormData(kType, "--XyZ\r\nX: " + std::string(500, 'h'), limits).error,
            FormError::kHeaderTooLarge);
  EXPECT_EQ(
      ParseFormData(kType, Part("form-data; name=\"a\"", std::string(11, 'x')) + "--XyZ--", limits)
          .error,
      FormError::kFieldTooLarge);
  EXPECT_EQ(
      ParseFormData(kType,
                    Part("form-data; name=\"f\"; filename=\"f\"", std::string(21, 'x')) + "--XyZ--",
                    limits)
          .error,
      FormError::kFileTooLarge);
  EXPECT_EQ(ParseFormData(kType, std::string(1001, 'x'), limits).error, FormError::kBodyTooLarge);
  EXPECT_TRUE(IsSizeLimit(FormError::kFileTooLarge));
  EXPECT_FALSE(IsSizeLimit(FormError::kHeaderTooLarge));
}

TEST(ParseFormData, BoundaryTextInsideContentDoesNotSplitIt) {
  // Only CRLF followed by the boundary delimits; the same text mid-line is content.
  const std::string body = Part("form-data; name=\"a\"", "x--XyZ y\r\n--XyZa") + "--XyZ--";
  const FormParse p = ParseFormData(kType, body);
  ASSERT_EQ(p.error, FormError::kMalformed) << "\"--XyZa\" is a delimiter followed by junk";
  const std::string ok = Part("form-data; name=\"a\"", "x--XyZ y") + "--XyZ--";
  EXPECT_EQ(ParseFormData(kType, ok).form->Field("a"), "x--XyZ y");
}

}  // namespace
}  // namespace rampart::mime
