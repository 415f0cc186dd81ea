#include "server/phone.h"

#include <algorithm>

#include <phonenumbers/phonenumberutil.h>

namespace bulwark::server {
namespace {

// Far above the longest written form of a 15-digit E.164 number with separators; bounds the
// work libphonenumber does on hostile input.
constexpr std::size_t max_input_chars = 64;
constexpr std::size_t max_e164_digits = 15;  // ITU-T E.164 §6

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Digits and the separators people write between them. Letters are refused: libphonenumber
// would read them as vanity digits ("+1 800 FLOWERS") or as an extension ("ext 5"), and an
// account name must be exactly the digits the user typed.
bool only_digits_and_separators(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' ||
           c == '/';
  });
}

}  // namespace

Result<std::string> normalize_phone(std::string_view text) {
  const auto invalid = [] { return fail(Errc::invalid_argument, "not a valid phone number"); };
  text = trim(text);
  if (text.size() > max_input_chars) return invalid();
  // "00" is the international call prefix of most of the world (ITU-T E.164 recommends it), so
  // "00 1 201 ..." means "+1 201 ...". Rewriting it to "+" gives exactly what parsing with the
  // region of such a country ("DE", "CH") would, without depending on that region's national
  // rules. Other prefixes ("011" from the US) are not accepted: they are not international form.
  std::string international;
  if (text.starts_with("00")) {
    international = "+" + std::string(text.substr(2));
  } else if (text.starts_with('+')) {
    international = std::string(text);
  } else {
    return fail(Errc::invalid_argument,
                "phone number must be in international form: + or 00, then the country code");
  }
  if (!only_digits_and_separators(std::string_view(international).substr(1))) return invalid();

  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  // "ZZ" is the unknown region: only a number carrying its own country code parses.
  if (util.Parse(international, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
    return invalid();
  }
  if (number.has_extension() || !util.IsValidNumber(number)) return invalid();
  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  // E.164 allows at most 15 digits, and the store and the API hold numbers to that; the
  // metadata of some countries accepts longer ones (found by phone_fuzz: "+49 0 3748680049 02
  // 37" formats to 16 digits).
  if (e164.size() > 1 + max_e164_digits) return invalid();
  return e164;
}

}  // namespace bulwark::server
