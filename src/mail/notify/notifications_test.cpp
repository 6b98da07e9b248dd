// Who hears of what, through the real ticket actions on a real database: each notice is an
// outbox row written in the action's own transaction.
#include "mail/notify/notifications.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "mail/notify/mail_templates.h"
#include "tickets/add_note.h"
#include "tickets/assign.h"
#include "tickets/reply.h"
#include "tickets/tickets_test_support.h"

namespace rampart::mail {
namespace {

class NotificationsTest : public tickets::testing::TicketsTest {
 protected:
  // "kind>recipient" for every queued row, in order.
  std::string Outbox() {
    storage::Lease c = db_->Read();
    std::string out;
    for (const auto& row : c->Query("SELECT kind, recipient FROM outbox ORDER BY id")) {
      out += (out.empty() ? "" : ",") + row.Text(0) + ">" + row.Text(1);
    }
    return out;
  }
  std::string Column(const storage::Sql& sql) {
    storage::Lease c = db_->Read();
    const auto row = c->QueryOne(sql);
    return row && !row->IsNull(0) ? row->Text(0) : std::string("-");
  }
  void ClearOutbox() {
    storage::Lease c = db_->Write();
    c->Execute("DELETE FROM outbox");
  }
  MailTemplateSettings Defaults() { return GetMailTemplates(ada_, *db_); }
};

TEST_F(NotificationsTest, ANewTicketIsAcknowledgedToItsRequesterOnce) {
  {
    storage::Lease c = db_->Write();
    RecordPublicUrl(*c, "https://help.example/");
  }
  const std::string number = Open(ana_, "Printer offline");
  EXPECT_EQ(Outbox(), "acknowledgement>ana@acme.example");
  EXPECT_EQ(Column("SELECT subject FROM outbox"), "[" + number + "] Printer offline");
  const std::string body = Column("SELECT body FROM outbox");
  EXPECT_NE(body.find("Hello Ana Acme"), std::string::npos) << body;
  EXPECT_NE(body.find("https://help.example/portal/tickets/" + number), std::string::npos) << body;
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE ticket_id IS NULL OR html_body NOT LIKE "
                  "'%Hello Ana Acme%'"),
            0);
}

TEST_F(NotificationsTest, AcknowledgementsCanBeSwitchedOff) {
  MailTemplateSettings s = Defaults();
  s.acknowledge_new_tickets = false;
  SaveMailTemplates(ada_, *db_, s, Tick());
  Open(ana_);
  EXPECT_EQ(Outbox(), "");
  s.acknowledge_new_tickets = true;
  SaveMailTemplates(ada_, *db_, s, Tick());
  Open(ana_);
  EXPECT_EQ(Outbox(), "acknowledgement>ana@acme.example");
}

TEST_F(NotificationsTest, StaffOpeningForACustomerAcknowledgesTheCustomerNotThemselves) {
  tickets::NewTicket t;
  t.subject = "Phoned in";
  t.body = "Ana called about the printer.";
  t.department_id = 1;
  t.requester_id = 10;
  tickets::CreateTicket(sam_, *db_, t, Tick());
  EXPECT_EQ(Outbox(), "acknowledgement>ana@acme.example");
  ClearOutbox();
  t.requester_id = 20;  // Sam for himself
  tickets::CreateTicket(sam_, *db_, t, Tick());
  EXPECT_EQ(Outbox(), "");
}

TEST_F(NotificationsTest, AssignmentNoticeGoesToTheAssigneeButNeverToWhoAssignedThemselves) {
  const std::string number = Open(ana_);
  ClearOutbox();
  tickets::Assign(rita_, *db_, {number, 20}, Tick());
  EXPECT_EQ(Outbox(), "assignment>sam@rampart.example");
  const std::string body = Column("SELECT body FROM outbox");
  EXPECT_NE(body.find("Hello Sam Support"), std::string::npos) << body;
  EXPECT_NE(body.find("/agent/tickets/" + number), std::string::npos) << body;
  ClearOutbox();
  tickets::Assign(rita_, *db_, {number, 22}, Tick());  // Rita takes it herself
  tickets::Assign(rita_, *db_, {number, 22}, Tick());  // no change, no mail
  tickets::Assign(rita_, *db_, {number, std::nullopt}, Tick());
  EXPECT_EQ(Outbox(), "");
}

TEST_F(NotificationsTest, ATicketOpenedWithAnAssigneeNoticesTheAssignee) {
  tickets::NewTicket t;
  t.subject = "Phoned in";
  t.body = "Ana called.";
  t.department_id = 1;
  t.requester_id = 10;
  t.assignee_id = 20;
  tickets::CreateTicket(rita_, *db_, t, Tick());
  EXPECT_EQ(Outbox(), "acknowledgement>ana@acme.example,assignment>sam@rampart.example");
}

TEST_F(NotificationsTest, CustomerRepliesNoticeTheAssignedAgentOrNobody) {
  const std::string number = Open(ana_);
  ClearOutbox();
  tickets::Reply(ana_, *db_, {number, "Any news?", std::nullopt}, Tick());
  EXPECT_EQ(Outbox(), "");  // unassigned
  tickets::Assign(rita_, *db_, {number, 20}, Tick());
  ClearOutbox();
  tickets::Reply(ben_, *db_, {number, "Still broken here too.", std::nullopt}, Tick());
  EXPECT_EQ(Outbox(), "customer_reply>sam@rampart.example");
  EXPECT_NE(Column("SELECT body FROM outbox").find("Still broken here too."), std::string::npos);
}

TEST_F(NotificationsTest, AgentRepliesReachRequesterAndCcsButNotTheAuthorAndNotesReachNobody) {
  const std::string number = Open(ana_);
  {
    storage::Lease c = db_->Write();
    c->Execute(
        "INSERT INTO ticket_ccs (ticket_id, email, added_at) "
        "SELECT id, 'boss@acme.example', 0 FROM tickets");
  }
  tickets::Assign(rita_, *db_, {number, 20}, Tick());
  ClearOutbox();
  tickets::AddNote(sam_, *db_, {number, "Internal: old firmware.", {}}, Tick());
  EXPECT_EQ(Outbox(), "");
  tickets::Reply(sam_, *db_, {number, "Fixed.", std::nullopt}, Tick());
  EXPECT_EQ(Outbox(), "reply>ana@acme.example,reply>boss@acme.example");
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE body LIKE '%firmware%' OR "
                  "html_body LIKE '%firmware%'"),
            0);
}

TEST_F(NotificationsTest, DisabledPeopleGetNoMail) {
  const std::string number = Open(ana_);
  tickets::Assign(rita_, *db_, {number, 20}, Tick());
  {
    storage::Lease c = db_->Write();
    c->Execute("UPDATE users SET disabled = 1 WHERE id = 20");
  }
  ClearOutbox();
  tickets::Reply(ana_, *db_, {number, "Any news?", std::nullopt}, Tick());
  EXPECT_EQ(Outbox(), "");
}

TEST_F(NotificationsTest, AnAdminsTemplateIsUsedAndHostileValuesStayText) {
  MailTemplateSettings s = Defaults();
  s.templates[0].text = {"Got it: {{ticket.subject}}",
                         "<b>Dear</b> {{requester.name}}, we have {{ticket.number}}."};
  SaveMailTemplates(ada_, *db_, s, Tick());
  {
    storage::Lease c = db_->Write();
    c->Execute("UPDATE users SET name = '\"><img src=x onerror=alert(1)>' WHERE id = 10");
  }
  // The actions refuse a subject with a line break; one stored by an older version (or written
  // by hand) still never reaches the header raw.
  EXPECT_THROW(Open(ana_, "Hi\r\nBcc: x@evil.example"), core::Invalid);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 0);
  const std::string number = Open(ana_, "<script>alert(1)</script>");
  EXPECT_EQ(Column("SELECT subject FROM outbox"), "Got it: <script>alert(1)</script>");
  ClearOutbox();
  {
    storage::Lease c = db_->Write();
    c->Execute("UPDATE tickets SET subject = 'Hi' || char(13, 10) || 'Bcc: x@evil.example'");
  }
  tickets::Reply(sam_, *db_, {number, "<script>alert(1)</script>", std::nullopt}, Tick());
  EXPECT_EQ(Column("SELECT subject FROM outbox"), "[" + number + "] Hi  Bcc: x@evil.example");
  EXPECT_EQ(Column("SELECT html_body FROM outbox").find("<script"), std::string::npos);
  ClearOutbox();
  Open(ana_, "Second");
  EXPECT_EQ(Column("SELECT body FROM outbox").substr(0, 24), "<b>Dear</b> \"><img src=x");
  const std::string html = Column("SELECT html_body FROM outbox");
  EXPECT_EQ(html.find("<b>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;b&gt;Dear&lt;/b&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
            std::string::npos)
      << html;
}

TEST_F(NotificationsTest, SavingIsAuditedAndAnUnknownPlaceholderChangesNothing) {
  MailTemplateSettings s = Defaults();
  for (const KindTemplate& t : s.templates) EXPECT_FALSE(t.customized);
  s.templates[2].text.body = "New for you: {{ticket.number}} {{ticket.url}}";
  SaveMailTemplates(ada_, *db_, s, Tick());
  EXPECT_TRUE(Defaults().templates[2].customized);
  EXPECT_EQ(Column("SELECT detail FROM audit_events WHERE event = 'mail.templates_changed'"),
            "changed=assignment acknowledge=on");

  const std::string before = Fingerprint() + Column(
                                                 "SELECT group_concat(kind || body) FROM "
                                                 "mail_templates");
  MailTemplateSettings bad = Defaults();
  bad.templates[1].text.subject = "{{ticket.secret}}";
  bad.acknowledge_new_tickets = false;
  try {
    SaveMailTemplates(ada_, *db_, bad, Tick());
    ADD_FAILURE() << "accepted";
  } catch (const core::Invalid& e) {
    EXPECT_EQ(e.Field(), "reply.subject");
    EXPECT_NE(e.UserText().find("unknown placeholder {{ticket.secret}}"), std::string::npos)
        << e.UserText();
  }
  bad = Defaults();
  bad.templates[0].text.body = std::string(10'001, 'x');
  EXPECT_THROW(SaveMailTemplates(ada_, *db_, bad, Tick()), core::Invalid);
  EXPECT_EQ(Fingerprint() + Column("SELECT group_concat(kind || body) FROM mail_templates"),
            before);
  EXPECT_TRUE(Defaults().acknowledge_new_tickets);

  // Saving the shipped text again removes the admin's copy.
  MailTemplateSettings back = Defaults();
  back.templates[2].text = DefaultTemplate(NotificationKind::kAssignment);
  SaveMailTemplates(ada_, *db_, back, Tick());
  EXPECT_EQ(Count("SELECT count(*) FROM mail_templates"), 0);
}

TEST_F(NotificationsTest, OnlyHelpdeskAdminsMayReadOrChangeTemplates) {
  const std::string before = Fingerprint();
  MailTemplateSettings s = Defaults();
  s.templates[0].text.body = "Hijacked {{ticket.url}}";
  for (const auth::Actor* actor : {&ana_, &sam_, &rita_}) {
    EXPECT_THROW(GetMailTemplates(*actor, *db_), core::Forbidden);
    EXPECT_THROW(SaveMailTemplates(*actor, *db_, s, Tick()), core::Forbidden);
  }
  EXPECT_EQ(Fingerprint(), before);
  EXPECT_EQ(Count("SELECT count(*) FROM mail_templates"), 0);
}

}  // namespace
}  // namespace rampart::mail
