#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.h"

namespace rampart::tickets {

enum class FieldKind { kText, kNumber, kDate, kDropdown };
std::string_view FieldKindName(FieldKind kind);
std::optional<FieldKind> ParseFieldKind(std::string_view name);

struct FieldOption {
  std::string value;
  std::string label;
};

// A custom field as an admin defined it.
struct FieldDefinition {
  std::int64_t id = 0;
  std::string key;  // stable name used by the API: [a-z][a-z0-9_]*
  std::string label;
  FieldKind kind = FieldKind::kText;
  bool required = false;
  bool end_user_visible = false;
  bool end_user_editable = false;
  bool archived = false;
  std::vector<FieldOption> options;  // dropdowns only
};

// Every field definition, in display order, with options.
std::vector<FieldDefinition> LoadFieldDefinitions(storage::Connection& c);
const FieldDefinition* FindField(const std::vector<FieldDefinition>& fields, std::string_view key);

// The value as stored: text trimmed of nothing but checked (one line, 1..1000 characters), a
// number in shortest round-trip form, a date as YYYY-MM-DD (a real calendar day), a dropdown
// value that is one of the options. Throws core::Invalid("custom_fields.<key>", reason).
std::string CanonicalFieldValue(const FieldDefinition& field, std::string_view raw);

}  // namespace rampart::tickets
