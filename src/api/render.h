#pragma once
#include <boost/json.hpp>
#include <string>

#include "auth/actor.h"
#include "tickets/get_ticket.h"
#include "tickets/queue.h"
#include "tickets/search.h"
#include "tickets/ticket_store.h"

// The API's representations of the domain's results. Text goes out as stored: JSON escaping
// (api::Serialize) is the only encoding, so a client gets back exactly what was sent. Times are
// RFC 3339 UTC strings; tickets are named by their public number, never by row id.
namespace rampart::api {

boost::json::object RenderTicket(const tickets::TicketView& ticket, bool with_messages);
boost::json::object RenderMessage(const tickets::ThreadMessage& message);
boost::json::object RenderAttachment(const tickets::AttachmentInfo& attachment);
// One queue row as JSON text appended to `out`: the queue is the hottest list, so its rows go
// straight from the statement into the body (json_text.h); same shape as the other renderers.
void AppendQueueRow(std::string& out, const tickets::QueueRowView& row);
boost::json::object RenderSearchHit(const tickets::SearchHit& hit);
boost::json::object RenderPerson(const auth::Person& person);

}  // namespace rampart::api
