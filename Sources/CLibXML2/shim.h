// libxml2 for Swift. Debian builds libxml2 with ICU, so its encoding.h pulls in the system ICU
// headers, which clash with the ICU copy inside Foundation (_FoundationICU) in any module that sees
// both ("UErrorCode ... not present in definition"), depending on module build order. seqport never
// touches ICU converters: hide them. Only the tail of xmlCharEncodingHandler (two pointers seqport
// never reads; it only holds the struct by pointer) depends on this macro.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlwriter.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
