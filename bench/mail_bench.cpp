// The mail side of `make bench` (scripts/bench_mail.sh):
//   bench_mail generate N DIR   writes DIR/bench.mbox, N realistic messages made the same way on
//                               every run, and DIR/dns-fixture.txt with the keys and DMARC
//                               policy of the signing customer domain (fresh keys each run);
//   bench_mail parse MBOX       the baseline: splits the mbox and parses every message with the
//                               same MIME parser the import uses, and nothing else;
//   bench_mail sign SECONDS     composes agent replies and DKIM-signs them with RSA-2048 and
//                               with Ed25519, SECONDS each, against composing alone.
// Figures go to standard output as `name value` lines for the script to read.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mail/auth/dkim_key.h"
#include "mail/auth/dkim_signer.h"
#include "mail/inbound/mbox_reader.h"
#include "mime/compose.h"
#include "mime/email_message.h"

namespace {

using rampart::mail::DkimAlgorithm;
using rampart::mail::DkimSigner;
using rampart::mail::DkimSigningKey;

constexpr const char* kSignedDomain = "customer.example";
constexpr int kSenders = 1000;  // about ten messages each: below the new-ticket rate limit

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Paragraphs a customer might write; bodies are a few of them. Each spans two literals.
// NOLINTBEGIN(bugprone-suspicious-missing-comma)
const std::vector<std::string> kParagraphs = {
    "Since this morning the printer on the third floor shows an error and does not print.\n"
    "We restarted it twice and checked the paper tray, without any change.\n",
    "Could you please tell me when my order will be shipped? I paid on Monday and have not\n"
    "received a confirmation yet. The order number is in the subject.\n",
    "I cannot sign in to the portal any more: it says my password has expired, but the reset\n"
    "link in your email leads to a page that does not load.\n",
    "From the invoice it looks like we were charged twice for the same month. Please check and\n"
    "refund the second payment to the card we used.\n",
    "Thanks for the quick answer. We tried what you suggested and it works now, but only on\n"
    "one of the two machines. The other still shows the same message.\n",
    "Our team of twelve people would like to move to the yearly plan. What do we need to do,\n"
    "and will the remaining months of the current plan be credited?\n",
};
// NOLINTEND(bugprone-suspicious-missing-comma)

std::string Paragraphs(std::mt19937& rng, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    if (i > 0) text += "\n";
    text += kParagraphs[rng() % kParagraphs.size()];
  }
  return text;
}

std::string Base64(const std::string& data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t line = 0;
  for (std::size_t i = 0; i < data.size(); i += 3) {
    const std::uint32_t n =
        (static_cast<unsigned char>(data[i]) << 16) |
        (i + 1 < data.size() ? static_cast<unsigned char>(data[i + 1]) << 8 : 0) |
        (i + 2 < data.size() ? static_cast<unsigned char>(data[i + 2]) : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < data.size() ? kAlphabet[n & 63] : '=';
    if ((line += 4) >= 76) {
      out += '\n';
      line = 0;
    }
  }
  return out + "\n";
}

// Latin-1 bytes of a German and French customer's text, sent as ISO-8859-1 quoted-printable.
const char* kLatin1Body =
    "Gr=FC=DFe aus M=FCnchen,\n\ndie Rechnung f=FCr November ist doppelt abgebucht worden.\n"
    "Merci beaucoup, Fran=E7oise et J=F6rg\n";

struct Generated {
  std::string headers;  // without the blank line
  std::string body;
};

Generated Message(std::mt19937& rng, int index, int sender, const std::string& from,
                  const std::vector<std::string>& earlier_ids) {
  Generated m;
  const std::string id = "m" + std::to_string(index) + "." + std::to_string(rng() % 100000) + "@" +
                         from.substr(from.find('@') + 1);
  m.headers = "From: Customer " + std::to_string(sender) + " <" + from + ">\n" +
              "To: support@help.example\n" +
              "Date: Mon, 30 Nov 2026 02:" + std::to_string(10 + index % 50) + ":00 +0000\n" +
              "Message-ID: <" + id + ">\n" + "MIME-Version: 1.0\n";
  const int kind = static_cast<int>(rng() % 100);
  // One in five answers an earlier message of the same sender.
  if (kind < 20 && !earlier_ids.empty()) {
    const std::string& parent = earlier_ids[rng() % earlier_ids.size()];
    m.headers += "Subject: Re: Order " + std::to_string(index / 7) + " question\n";
    m.headers += "In-Reply-To: <" + parent + ">\nReferences: <" + parent + ">\n";
  } else {
    m.headers += "Subject: Order " + std::to_string(index / 7) + " question\n";
  }
  const int shape = static_cast<int>(rng() % 100);
  if (shape < 45) {  // plain text, UTF-8
    m.headers += "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n";
    m.body = "Hello,\n\n" + Paragraphs(rng, 1 + static_cast<int>(rng() % 3)) +
             "\nFrom the customer portal I could not find this. Kind regards, Zoë\n";
  } else if (shape < 75) {  // multipart/alternative with HTML
    const std::string text = Paragraphs(rng, 2);
    m.headers +=
        "Content-Type: multipart/alternative; boundary=\"alt-" + std::to_string(index) + "\"\n";
    m.body = "--alt-" + std::to_string(index) + "\nContent-Type: text/plain; charset=utf-8\n\n" +
             text + "\n--alt-" + std::to_string(index) +
             "\nContent-Type: text/html; charset=utf-8\n\n<html><body><p style=\"color:#333\">" +
             text + "</p><p><a href=\"https://customer.example/orders\">My orders</a> " +
             "<img src=\"https://tracker.example/p.gif\" alt=\"\"></p></body></html>\n--alt-" +
             std::to_string(index) + "--\n";
  } else if (shape < 88) {  // text with a small attachment
    std::string file(1024 + rng() % 6144, '\0');
    for (char& c : file) c = static_cast<char>(rng() & 0xff);
    m.headers += "Content-Type: multipart/mixed; boundary=\"mix-" + std::to_string(index) + "\"\n";
    m.body = "--mix-" + std::to_string(index) + "\nContent-Type: text/plain; charset=utf-8\n\n" +
             Paragraphs(rng, 1) + "The log file is attached.\n\n--mix-" + std::to_string(index) +
             "\nContent-Type: application/octet-stream\nContent-Disposition: attachment; "
             "filename=\"error-" +
             std::to_string(index) + ".log\"\nContent-Transfer-Encoding: base64\n\n" +
             Base64(file) + "--mix-" + std::to_string(index) + "--\n";
  } else {  // a non-UTF-8 charset
    m.headers +=
        "Content-Type: text/plain; charset=iso-8859-1\n"
        "Content-Transfer-Encoding: quoted-printable\n";
    m.body = kLatin1Body;
  }
  return m;
}

// mboxrd: every line that starts with '>'s and "From " gets one more '>'.
std::string Quote(const std::string& message) {
  std::string out;
  std::size_t at = 0;
  while (at < message.size()) {
    std::size_t end = message.find('\n', at);
    end = end == std::string::npos ? message.size() : end + 1;
    const std::string_view line(message.data() + at, end - at);
    const auto first = line.find_first_not_of('>');
    if (first != std::string_view::npos && line.substr(first, 5) == "From ") out += '>';
    out.append(line);
    at = end;
  }
  return out;
}

DkimSigningKey Key(DkimAlgorithm algorithm, const std::string& selector, std::string& dns_record) {
  const rampart::mail::DkimKeyPair pair = rampart::mail::GenerateDkimKey(algorithm);
  dns_record = pair.dns_record;
  return DkimSigningKey{kSignedDomain, selector, algorithm, pair.private_key_pem};
}

int Generate(int count, const std::string& dir) {
  std::string rsa_record, ed_record;
  const DkimSigner rsa({Key(DkimAlgorithm::kRsaSha256, "rsa2026", rsa_record)});
  const DkimSigner ed({Key(DkimAlgorithm::kEd25519Sha256, "ed2026", ed_record)});
  {
    std::ofstream dns(dir + "/dns-fixture.txt");
    dns << "# Fixture DNS for the mail benchmark (made by bench_mail generate)\n"
        << "rsa2026._domainkey." << kSignedDomain << " TXT \"" << rsa_record << "\"\n"
        << "ed2026._domainkey." << kSignedDomain << " TXT \"" << ed_record << "\"\n"
        << "_dmarc." << kSignedDomain << " TXT \"v=DMARC1; p=reject; adkim=r\"\n";
  }
  std::ofstream mbox(dir + "/bench.mbox", std::ios::binary);
  // A constant seed on purpose: the same messages on every run, so runs compare.
  std::mt19937 rng(20261130);  // NOLINT(cert-msc51-cpp)
  std::vector<std::vector<std::string>> sent_ids(kSenders);
  int signed_count = 0, failing = 0;
  for (int i = 0; i < count; ++i) {
    const int sender = static_cast<int>(rng() % kSenders);
    // 70% of the senders write from the signing domain; the rest from domains without DKIM
    // or DMARC.
    const bool signing_domain = sender % 10 < 7;
    const std::string from =
        "customer" + std::to_string(sender) + "@" +
        (signing_domain ? kSignedDomain : "mail" + std::to_string(sender % 3) + ".other.example");
    Generated m = Message(rng, i, sender, from, sent_ids[sender]);
    const auto id_start = m.headers.find("Message-ID: <") + 13;
    sent_ids[sender].push_back(
        m.headers.substr(id_start, m.headers.find('>', id_start) - id_start));
    std::string message = m.headers + "\n" + m.body;
    if (signing_domain) {
      const DkimSigner& signer = (rng() % 5 == 0) ? ed : rsa;
      std::string signature = signer.Sign(message);
      for (std::size_t at = 0; (at = signature.find("\r\n", at)) != std::string::npos;) {
        signature.erase(at, 1);
      }
      ++signed_count;
      // One signed message in twenty is changed in transit: its signature fails, and with
      // p=reject so does DMARC.
      if (rng() % 20 == 0) {
        message += "-- \nAdded by a forwarding list\n";
        ++failing;
      }
      message.insert(0, signature);
    }
    mbox << "From " << from << " Mon Nov 30 02:00:00 2026\n" << Quote(message) << "\n";
  }
  std::cout << "messages " << count << "\nsigned " << signed_count << "\nfailing " << failing
            << "\nbytes " << mbox.tellp() << "\n";
  return 0;
}

int Parse(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return 2;
  const auto start = std::chrono::steady_clock::now();
  rampart::mail::MboxReader reader(in, 25 * 1024 * 1024);
  long messages = 0, parsed = 0;
  while (auto m = reader.Next()) {
    ++messages;
    if (rampart::mime::ParseEmail(m->raw).error == rampart::mime::EmailError::kNone) ++parsed;
  }
  const double seconds = SecondsSince(start);
  std::cout << "messages " << messages << "\nparsed " << parsed << "\nseconds " << seconds
            << "\nrate " << static_cast<double>(messages) / seconds << "\n";
  return 0;
}

rampart::mime::OutgoingEmail Reply(int n) {
  rampart::mime::OutgoingEmail email;
  email.from = {"Help Desk", "support@help.example"};
  email.to = {{"", "customer" + std::to_string(n % kSenders) + "@customer.example"}};
  email.reply_to = {{"Help Desk", "support+t" + std::to_string(n) + "@help.example"}};
  email.subject = "Re: [RMP-" + std::to_string(1000 + n) + "] Printer offline";
  email.message_id = "rmp-" + std::to_string(1000 + n) + "-abcdef.0123456789@help.example";
  email.in_reply_to = {"m" + std::to_string(n) + "@customer.example"};
  email.references = email.in_reply_to;
  email.date = 1795999999;
  email.text_body = kParagraphs[static_cast<std::size_t>(n) % kParagraphs.size()] +
                    "\nBest regards,\nthe support team\n";
  email.html_body = "<p>" + email.text_body + "</p>";
  return email;
}

// Messages per second for `seconds`: composing alone (the baseline), or composing and signing.
double Rate(const DkimSigner* signer, double seconds) {
  const auto start = std::chrono::steady_clock::now();
  long done = 0;
  std::size_t bytes = 0;
  while (SecondsSince(start) < seconds) {
    const rampart::mime::ComposedEmail composed =
        rampart::mime::ComposeEmail(Reply(static_cast<int>(done % kSenders)));
    if (!composed.errors.empty()) throw std::runtime_error("compose failed");
    bytes += signer ? signer->Sign(composed.bytes).size() : composed.bytes.size();
    ++done;
  }
  if (bytes == 0) throw std::runtime_error("nothing produced");
  return static_cast<double>(done) / SecondsSince(start);
}

int Sign(double seconds) {
  std::string record;
  const DkimSigner rsa({Key(DkimAlgorithm::kRsaSha256, "rsa", record)});
  const DkimSigner ed({Key(DkimAlgorithm::kEd25519Sha256, "ed", record)});
  std::cout << "compose_rate " << Rate(nullptr, seconds) << "\n";
  std::cout << "rsa_rate " << Rate(&rsa, seconds) << "\n";
  std::cout << "ed25519_rate " << Rate(&ed, seconds) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 3 && args[0] == "generate") return Generate(std::stoi(args[1]), args[2]);
    if (args.size() == 2 && args[0] == "parse") return Parse(args[1]);
    if (args.size() == 2 && args[0] == "sign") return Sign(std::stod(args[1]));
  } catch (const std::exception& e) {
    std::cerr << "bench_mail: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: bench_mail generate N DIR | parse MBOX | sign SECONDS\n";
  return 2;
}
