#include "mail/auth/authentication_results.h"

#include <algorithm>
#include <cctype>

namespace rampart::mail {
namespace {

constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
constexpr std::size_t kMaxResults = 64;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A token of the header once comments are gone: a word, a quoted string (unquoted here), or one
// of the separators ';', '=', '/'.
struct Token {
  enum class Kind { kWord, kQuoted, kSeparator } kind;
  std::string text;
  bool spaced = false;  // white space or a comment came before it
};

// Splits the value into tokens, dropping CFWS. nullopt on an unterminated comment or quote, or
// comments nested deeper than a sane header needs.
std::optional<std::vector<Token>> Tokenize(std::string_view value) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  bool spaced = false;
  const auto push = [&](Token::Kind kind, std::string text) {
    tokens.push_back({kind, std::move(text), spaced});
    spaced = false;
  };
  while (i < value.size()) {
    const char c = value[i];
    if (c == '(') {
      spaced = true;
      int depth = 0;
      for (; i < value.size(); ++i) {
        if (value[i] == '\\') {
          ++i;
        } else if (value[i] == '(') {
          if (++depth > 8) return std::nullopt;
        } else if (value[i] == ')' && --depth == 0) {
          break;
        }
      }
      if (i >= value.size()) return std::nullopt;
      ++i;
    } else if (c == '"') {
      std::string text;
      for (++i; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        text.push_back(value[i]);
      }
      if (i >= value.size()) return std::nullopt;
      ++i;
      push(Token::Kind::kQuoted, std::move(text));
    } else if (c == ';' || c == '=' || c == '/') {
      push(Token::Kind::kSeparator, std::string(1, c));
      ++i;
    } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      spaced = true;
      ++i;
    } else if (c == ')') {
      return std::nullopt;  // a comment closed that was never opened
    } else {
      const std::size_t start = i;
      while (i < value.size() &&
             std::string_view("();=/\" \t\r\n").find(value[i]) == std::string_view::npos) {
        ++i;
      }
      push(Token::Kind::kWord, std::string(value.substr(start, i - start)));
    }
  }
  return tokens;
}

bool IsSeparator(const std::vector<Token>& tokens, std::size_t i, char c) {
  return i < tokens.size() && tokens[i].kind == Token::Kind::kSeparator && tokens[i].text[0] == c;
}

bool IsValue(const std::vector<Token>& tokens, std::size_t i) {
  return i < tokens.size() && tokens[i].kind != Token::Kind::kSeparator;
}

}  // namespace

std::string AuthResult::Property(const std::string& name) const {
  const auto it = properties.find(name);
  return it == properties.end() ? std::string() : it->second;
}

std::optional<AuthenticationResults> ParseAuthenticationResults(std::string_view value) {
  if (value.size() > kMaxHeaderBytes) return std::nullopt;
  const auto tokens = Tokenize(value);
  if (!tokens || tokens->empty() || (*tokens)[0].kind != Token::Kind::kWord) return std::nullopt;
  AuthenticationResults parsed;
  parsed.authserv_id = Lower((*tokens)[0].text);
  std::size_t i = 1;
  // An optional version number after the authserv-id.
  if (i < tokens->size() && (*tokens)[i].kind == Token::Kind::kWord &&
      std::all_of((*tokens)[i].text.begin(), (*tokens)[i].text.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    ++i;
  }
  // no-result: "; none", nothing after it.
  if (IsSeparator(*tokens, i, ';') && i + 1 < tokens->size() &&
      Lower((*tokens)[i + 1].text) == "none" && !IsSeparator(*tokens, i + 2, '=')) {
    return i + 2 == tokens->size() ? std::optional(parsed) : std::nullopt;
  }
  while (i < tokens->size()) {
    if (!IsSeparator(*tokens, i, ';')) return std::nullopt;
    ++i;
    if (i == tokens->size()) break;  // a trailing ';' is common and harmless
    // methodspec: method [ "/" version ] "=" result
    if (!IsValue(*tokens, i)) return std::nullopt;
    AuthResult result;
    result.method = Lower((*tokens)[i++].text);
    if (IsSeparator(*tokens, i, '/')) {
      if (!IsValue(*tokens, i + 1)) return std::nullopt;
      i += 2;
    }
    if (!IsSeparator(*tokens, i, '=') || !IsValue(*tokens, i + 1)) return std::nullopt;
    result.result = Lower((*tokens)[i + 1].text);
    i += 2;
    // reasonspec and propspecs: name "=" value, until the next ';'.
    while (i < tokens->size() && !IsSeparator(*tokens, i, ';')) {
      if (!IsValue(*tokens, i) || !IsSeparator(*tokens, i + 1, '=')) return std::nullopt;
      const std::string name = Lower((*tokens)[i].text);
      // The value runs to the next white space: base64 in header.b may hold '/' and '='.
      // An empty value ("smtp.mailfrom=") is followed by white space and the next name.
      std::string property_value;
      i += 2;
      if (i < tokens->size() && (*tokens)[i].spaced && IsSeparator(*tokens, i + 1, '=')) {
        result.properties[name] = "";
        continue;
      }
      while (i < tokens->size() && !IsSeparator(*tokens, i, ';') &&
             (property_value.empty() ? IsValue(*tokens, i) : !(*tokens)[i].spaced)) {
        property_value += (*tokens)[i++].text;
      }
      if (name != "reason") result.properties[name] = std::move(property_value);
    }
    parsed.results.push_back(std::move(result));
    if (parsed.results.size() > kMaxResults) return std::nullopt;
  }
  return parsed;
}

std::vector<AuthResult> TrustedResults(const std::vector<std::string>& header_values,
                                       const std::vector<std::string>& trusted_ids) {
  std::vector<AuthResult> trusted;
  for (const std::string& value : header_values) {
    auto parsed = ParseAuthenticationResults(value);
    if (!parsed) continue;
    const bool vouched =
        std::any_of(trusted_ids.begin(), trusted_ids.end(),
                    [&](const std::string& id) { return Lower(id) == parsed->authserv_id; });
    if (!vouched) continue;
    for (auto& result : parsed->results) trusted.push_back(std::move(result));
  }
  return trusted;
}

}  // namespace rampart::mail
