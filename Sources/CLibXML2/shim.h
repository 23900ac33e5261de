#ifndef ACADEMY_CLIBXML2_SHIM_H
#define ACADEMY_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
// libxml2's ICU headers clash with Foundation's copy of ICU ("'UErrorCode' has different
// definitions") in clean debug builds. We never call libxml2's ICU paths, so hide them.
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlsave.h>
#include <libxml/encoding.h>

#endif
