#include "tickets/attachments.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/errors.h"
#include "tickets/add_note.h"
#include "tickets/get_ticket.h"
#include "tickets/history.h"
#include "tickets/merge.h"
#include "tickets/reply.h"
#include "tickets/tickets_test_support.h"

namespace rampart::tickets {
namespace {

using testing::TicketsTest;

// The smallest valid PNG: signature, IHDR, IDAT, IEND.
const std::string kPng(
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDAT"
    "x\x9c"
    "c\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xae"
    "B`\x82",
    67);
const std::string kHtml = "<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n";

TEST(SniffType, ReadsTheTypeFromTheBytesNotTheName) {
  EXPECT_EQ(SniffType(kPng), "image/png");
  EXPECT_EQ(SniffType(kHtml), "text/html");
  EXPECT_EQ(SniffType("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), "application/pdf");
  EXPECT_EQ(SniffType("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"),
            "image/svg+xml");
  EXPECT_FALSE(SniffType(std::string("\x7f"
                                     "ELF",
                                     4))
                   .empty());
}

class AttachmentsTest : public TicketsTest {
 protected:
  void SetUp() override {
    TicketsTest::SetUp();
    char tmpl[] = "/tmp/rampart-attach-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    box_ = std::make_shared<auth::SecretBox>(
        auth::ServerKey::FromBytes(std::string(auth::kServerKeyBytes, 'k'), 1));
    AttachmentLimits limits;
    limits.max_file_bytes = 1000;
    limits.max_files = 3;
    limits.max_total_bytes = 1500;
    store_ = std::make_unique<AttachmentStore>(dir_ / "attachments", box_, limits);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::size_t FilesOnDisk() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e :
         std::filesystem::directory_iterator(dir_ / "attachments")) {
      ++n;
    }
    return n;
  }

  PostedMessage ReplyWith(const auth::Actor& actor, const std::string& number,
                          std::vector<Upload> files, const std::string& body = "See attached.") {
    ReplyRequest r;
    r.ticket = number;
    r.body = body;
    r.attachments = std::move(files);
    return Reply(actor, *db_, r, Tick(), store_.get());
  }

  std::filesystem::path dir_;
  std::shared_ptr<auth::SecretBox> box_;
  std::unique_ptr<AttachmentStore> store_;
};

TEST_F(AttachmentsTest, RoundTripIsByteIdenticalWithNormalizedNameAndSniffedType) {
  const std::string number = Open(ana_);
  const PostedMessage posted = ReplyWith(ana_, number, {{"scan\xE2\x80\xAEgnp.html", kPng}});
  ASSERT_EQ(posted.attachments.size(), 1U);
  const AttachmentInfo& info = posted.attachments[0];
  EXPECT_EQ(info.filename, "scangnp.html");
  EXPECT_EQ(info.type, "image/png");  // the name says html; the bytes say png
  EXPECT_EQ(info.size, static_cast<std::int64_t>(kPng.size()));
  EXPECT_EQ(info.id.size(), 32U);
  const AttachmentContent got = OpenAttachment(ana_, *db_, *store_, info.id);
  EXPECT_EQ(got.bytes, kPng);
  EXPECT_EQ(got.info.sha256, info.sha256);
  // The thread lists it under its message, for the requester and for staff.
  const TicketView view = GetTicket(sam_, *db_, number);
  ASSERT_EQ(view.thread.back().attachments.size(), 1U);
  EXPECT_EQ(view.thread.back().attachments[0].id, info.id);
  EXPECT_EQ(FilesOnDisk(), 1U);
  // Staff see the upload in the ticket's history; customers' history leaves it out.
  const auto has_entry = [&](const auth::Actor& who) {
    for (const HistoryEntry& h : TicketHistory(who, *db_, number)) {
      if (h.field == "attachment" && h.new_value == "scangnp.html") return true;
    }
    return false;
  };
  EXPECT_TRUE(has_entry(sam_));
  EXPECT_FALSE(has_entry(ana_));
}

TEST_F(AttachmentsTest, HtmlNamedPngIsHtml) {
  const std::string number = Open(ana_);
  const auto posted = ReplyWith(ana_, number, {{"photo.png", kHtml}});
  EXPECT_EQ(posted.attachments.at(0).type, "text/html");
}

TEST_F(AttachmentsTest, StoredFilesAreSealedAndRandomlyNamed) {
  const std::string number = Open(ana_);
  ReplyWith(ana_, number, {{"secret.txt", "the launch code is 0000"}});
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "attachments")) {
    EXPECT_EQ(e.path().filename().string().size(), 64U);
    EXPECT_EQ(e.path().filename().string().find("secret"), std::string::npos);
    std::string content(static_cast<std::size_t>(e.file_size()), '\0');
    FILE* f = std::fopen(e.path().c_str(), "rb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(std::fread(content.data(), 1, content.size(), f), content.size());
    std::fclose(f);
    EXPECT_EQ(content.find("launch code"), std::string::npos);
    EXPECT_EQ(e.status().permissions() & std::filesystem::perms::others_read,
              std::filesystem::perms::none);
  }
}

TEST_F(AttachmentsTest, SwappedFilesDoNotOpen) {
  const std::string number = Open(ana_);
  const auto a = ReplyWith(ana_, number, {{"a.txt", "first file"}}).attachments.at(0);
  const auto b = ReplyWith(ana_, number, {{"b.txt", "second file"}}).attachments.at(0);
  std::string stored_a;
  std::string stored_b;
  {
    storage::Lease c = db_->Read();
    stored_a =
        c->QueryOne("SELECT stored_name FROM attachments WHERE public_id = ?", {a.id})->Text(0);
    stored_b =
        c->QueryOne("SELECT stored_name FROM attachments WHERE public_id = ?", {b.id})->Text(0);
  }
  const auto path_a = dir_ / "attachments" / stored_a;
  const auto path_b = dir_ / "attachments" / stored_b;
  std::filesystem::rename(path_a, dir_ / "swap");
  std::filesystem::rename(path_b, path_a);
  std::filesystem::rename(dir_ / "swap", path_b);
  EXPECT_THROW(OpenAttachment(ana_, *db_, *store_, a.id), core::InternalError);
  EXPECT_THROW(OpenAttachment(ana_, *db_, *store_, b.id), core::InternalError);
}

TEST_F(AttachmentsTest, OthersGetNotFound) {
  const std::string number = Open(carl_);  // Support; Carl has no organization
  const auto info = ReplyWith(carl_, number, {{"a.png", kPng}}).attachments.at(0);
  EXPECT_THROW(OpenAttachment(gina_, *db_, *store_, info.id), core::NotFound);  // other customer
  EXPECT_THROW(OpenAttachment(ana_, *db_, *store_, info.id), core::NotFound);
  EXPECT_THROW(OpenAttachment(bill_, *db_, *store_, info.id), core::NotFound);  // Billing agent
  EXPECT_NO_THROW(OpenAttachment(sam_, *db_, *store_, info.id));                // Support agent
  EXPECT_NO_THROW(OpenAttachment(rita_, *db_, *store_, info.id));               // all departments
  // Unknown and malformed ids look the same.
  EXPECT_THROW(OpenAttachment(carl_, *db_, *store_, std::string(32, '0')), core::NotFound);
  EXPECT_THROW(OpenAttachment(carl_, *db_, *store_, "../../server.key"), core::NotFound);
}

TEST_F(AttachmentsTest, NoteFilesAreAsInternalAsTheNote) {
  const std::string number = Open(ana_);
  NoteRequest n;
  n.ticket = number;
  n.body = "Customer's log, for us only.";
  n.attachments = {{"internal.log", "stack trace"}};
  const auto info = AddNote(sam_, *db_, n, Tick(), store_.get()).attachments.at(0);
  EXPECT_THROW(OpenAttachment(ana_, *db_, *store_, info.id), core::NotFound);
  EXPECT_NO_THROW(OpenAttachment(sam_, *db_, *store_, info.id));
  for (const ThreadMessage& m : GetTicket(ana_, *db_, number).thread) {
    EXPECT_TRUE(m.attachments.empty());
  }
}

TEST_F(AttachmentsTest, LimitsRefuseWithTooLargeAndStoreNothing) {
  const std::string number = Open(ana_);
  const std::string before = Fingerprint();
  const auto expect_413 = [&](std::vector<Upload> files) {
    try {
      ReplyWith(ana_, number, std::move(files));
      ADD_FAILURE() << "accepted";
    } catch (const core::RequestError& e) {
      EXPECT_EQ(e.Status(), 413);
    }
  };
  expect_413({{"big.bin", std::string(1001, 'x')}});
  expect_413({{"a", std::string(800, 'x')}, {"b", std::string(800, 'x')}});  // 1600 in all
  expect_413({{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}});
  EXPECT_EQ(Fingerprint(), before);
  EXPECT_EQ(Count("SELECT count(*) FROM attachments"), 0);
  EXPECT_EQ(FilesOnDisk(), 0U);
}

TEST_F(AttachmentsTest, RefusedReplyRemovesItsFiles) {
  const std::string number = Open(carl_);
  const std::string before = Fingerprint();
  // Gina may not see Carl's ticket: 404, and the staged file is gone again.
  EXPECT_THROW(ReplyWith(gina_, number, {{"a.png", kPng}}), core::NotFound);
  EXPECT_EQ(Fingerprint(), before);
  EXPECT_EQ(Count("SELECT count(*) FROM attachments"), 0);
  EXPECT_EQ(FilesOnDisk(), 0U);
}

TEST_F(AttachmentsTest, BodyMayBeEmptyOnlyWithFiles) {
  const std::string number = Open(ana_);
  EXPECT_NO_THROW(ReplyWith(ana_, number, {{"a.txt", "x"}}, ""));
  EXPECT_THROW(ReplyWith(ana_, number, {}, ""), core::Invalid);
}

TEST_F(AttachmentsTest, MergedTicketsTakeTheirFilesAlong) {
  const std::string source = Open(ana_, "First");
  const std::string target = Open(ana_, "Second");
  const auto info = ReplyWith(ana_, source, {{"a.png", kPng}}).attachments.at(0);
  MergeRequest m;
  m.source = source;
  m.target = target;
  Merge(sam_, *db_, m, Tick());
  bool found = false;
  for (const ThreadMessage& msg : GetTicket(ana_, *db_, target).thread) {
    for (const AttachmentInfo& a : msg.attachments) found = found || a.id == info.id;
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(OpenAttachment(ana_, *db_, *store_, info.id).bytes, kPng);
}

TEST_F(AttachmentsTest, OrphanSweepRemovesOnlyFilesNoRowNames) {
  const std::string number = Open(ana_);
  const auto kept = ReplyWith(ana_, number, {{"kept.txt", "kept"}}).attachments.at(0);
  // What a crash between writing and committing leaves: a staged file, and a half-written one.
  {
    StagedAttachments orphan = store_->Stage({{"lost.txt", "lost"}});
    orphan.Keep();  // pretend the process died before it could clean up
  }
  std::FILE* tmp =
      std::fopen((dir_ / "attachments" / (std::string(64, 'a') + ".tmp")).c_str(), "w");
  ASSERT_NE(tmp, nullptr);
  std::fclose(tmp);
  EXPECT_EQ(FilesOnDisk(), 3U);
  EXPECT_EQ(store_->RemoveOrphans(*db_, 3600), 0U);  // too young: perhaps still uploading
  EXPECT_EQ(store_->RemoveOrphans(*db_, 0), 2U);
  EXPECT_EQ(FilesOnDisk(), 1U);
  EXPECT_EQ(OpenAttachment(ana_, *db_, *store_, kept.id).bytes, "kept");
}

}  // namespace
}  // namespace rampart::tickets
