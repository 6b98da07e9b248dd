#include "tickets/custom_fields.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "core/errors.h"
#include "core/strings.h"
#include "tickets/text_rules.h"
#include "tickets/ticket.h"

namespace rampart::tickets {
namespace {

// `text` as a number when it is exactly `width` decimal digits.
std::optional<int> Digits(std::string_view text, std::size_t width) {
  if (text.size() != width) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::string_view FieldKindName(FieldKind kind) {
  switch (kind) {
    case FieldKind::kText: return "text";
    case FieldKind::kNumber: return "number";
    case FieldKind::kDate: return "date";
    case FieldKind::kDropdown: return "dropdown";
  }
  return "text";
}

std::optional<FieldKind> ParseFieldKind(std::string_view name) {
  for (FieldKind k :
       {FieldKind::kText, FieldKind::kNumber, FieldKind::kDate, FieldKind::kDropdown}) {
    if (name == FieldKindName(k)) return k;
  }
  return std::nullopt;
}

std::vector<FieldDefinition> LoadFieldDefinitions(storage::Connection& c) {
  std::vector<FieldDefinition> fields;
  for (const storage::Row& row :
       c.Query("SELECT id, key, label, kind, required, end_user_visible, end_user_editable, "
               "archived_at IS NOT NULL FROM custom_fields ORDER BY position, id")) {
    FieldDefinition f;
    f.id = row.Int(0);
    f.key = row.Text(1);
    f.label = row.Text(2);
    const auto kind = ParseFieldKind(row.Text(3));
    if (!kind) throw std::logic_error("custom_fields.kind outside its CHECK constraint");
    f.kind = *kind;
    f.required = row.Int(4) != 0;
    f.end_user_visible = row.Int(5) != 0;
    f.end_user_editable = row.Int(6) != 0;
    f.archived = row.Int(7) != 0;
    fields.push_back(std::move(f));
  }
  for (const storage::Row& row : c.Query("SELECT field_id, value, label FROM custom_field_options "
                                         "ORDER BY field_id, position, value")) {
    const std::int64_t field_id = row.Int(0);
    const auto it = std::find_if(fields.begin(), fields.end(),
                                 [&](const FieldDefinition& f) { return f.id == field_id; });
    if (it != fields.end()) it->options.push_back({row.Text(1), row.Text(2)});
  }
  return fields;
}

const FieldDefinition* FindField(const std::vector<FieldDefinition>& fields, std::string_view key) {
  const auto it = std::find_if(fields.begin(), fields.end(),
                               [&](const FieldDefinition& f) { return f.key == key; });
  return it == fields.end() ? nullptr : &*it;
}

std::string CanonicalFieldValue(const FieldDefinition& field, std::string_view raw) {
  const std::string name = "custom_fields." + field.key;
  if (!core::IsValidUtf8(raw)) throw core::Invalid(name, "must be valid UTF-8");
  if (HasForbiddenControls(raw, "")) {
    throw core::Invalid(name, "must be one line without control characters");
  }
  switch (field.kind) {
    case FieldKind::kText: {
      if (core::Trim(raw).empty()) throw core::Invalid(name, "must not be empty");
      if (CountCharacters(raw) > kMaxTextFieldChars) {
        throw core::Invalid(name, "must be at most 1000 characters");
      }
      return std::string(raw);
    }
    case FieldKind::kNumber: {
      const std::string_view text = core::Trim(raw);
      double value = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
          !std::isfinite(value)) {
        throw core::Invalid(name, "must be a number");
      }
      if (value == 0) value = 0;  // -0 and 0 are one value
      char buffer[64];
      const auto out = std::to_chars(buffer, buffer + sizeof(buffer), value);
      return std::string(buffer, out.ptr);
    }
    case FieldKind::kDate: {
      const std::string_view text = core::Trim(raw);
      const auto y = Digits(text.substr(0, 4), 4);
      const auto m = text.size() == 10 ? Digits(text.substr(5, 2), 2) : std::nullopt;
      const auto d = text.size() == 10 ? Digits(text.substr(8, 2), 2) : std::nullopt;
      if (!y || !m || !d || text[4] != '-' || text[7] != '-' ||
          !std::chrono::year_month_day(std::chrono::year(*y),
                                       std::chrono::month(static_cast<unsigned>(*m)),
                                       std::chrono::day(static_cast<unsigned>(*d)))
               .ok()) {
        throw core::Invalid(name, "must be a date as YYYY-MM-DD");
      }
      return std::string(text);
    }
    case FieldKind::kDropdown: {
      const auto it = std::find_if(field.options.begin(), field.options.end(),
                                   [&](const FieldOption& o) { return o.value == raw; });
      if (it == field.options.end()) throw core::Invalid(name, "must be one of the options");
      return it->value;
    }
  }
  throw std::logic_error("unhandled field kind");
}

}  // namespace rampart::tickets
