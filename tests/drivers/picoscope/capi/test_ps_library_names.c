/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The library names of the simulated ps5000a and ps2000a libraries, as a program built against Pico
 * Technology's SDK sees them: the vendor's files are libps5000a.so.2 / libps2000a.so.2 (that is their
 * SONAME, which a program linked with -lps5000a records as its dependency) with an unversioned
 * symlink libps5000a.so / libps2000a.so for linking and for loaders that use the plain name.
 *
 * This program is linked with -lps5000a through the unversioned name, as the vendor's Makefile does,
 * and checks that
 *   - the loader loaded it as libps5000a.so.2 (the dependency recorded at link time is the SONAME),
 *   - the DT_SONAME of both library files is libps5000a.so.2 / libps2000a.so.2,
 *   - dlopen by the versioned and by the unversioned name finds the same library, which works.
 * LD_LIBRARY_PATH points at the folder of the libraries (set by CTest), as it would at /opt/picoscope/lib. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>

#include "capi_check.h"

/* DT_SONAME of an ELF64 shared object on disk, or "" (read from its section headers). */
static void read_soname(const char *path, char *out, size_t size)
{
  FILE *f = fopen(path, "rb");
  Elf64_Ehdr eh;
  Elf64_Shdr *sh = NULL;
  int i;
  out[0] = '\0';
  if (f == NULL)
    return;
  if (fread(&eh, sizeof eh, 1, f) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0)
    goto done;
  sh = (Elf64_Shdr *)calloc(eh.e_shnum, sizeof *sh);
  if (sh == NULL || fseek(f, (long)eh.e_shoff, SEEK_SET) != 0 || fread(sh, sizeof *sh, eh.e_shnum, f) != eh.e_shnum)
    goto done;
  for (i = 0; i < eh.e_shnum; ++i) {
    Elf64_Dyn d;
    size_t k, n;
    if (sh[i].sh_type != SHT_DYNAMIC || sh[i].sh_link >= eh.e_shnum)
      continue;
    n = (size_t)(sh[i].sh_size / sizeof d);
    for (k = 0; k < n; ++k) {
      if (fseek(f, (long)(sh[i].sh_offset + k * sizeof d), SEEK_SET) != 0 || fread(&d, sizeof d, 1, f) != 1)
        goto done;
      if (d.d_tag == DT_NULL)
        break;
      if (d.d_tag == DT_SONAME) {
        const Elf64_Shdr *strtab = &sh[sh[i].sh_link];
        if (fseek(f, (long)(strtab->sh_offset + d.d_un.d_val), SEEK_SET) == 0 && fgets(out, (int)size, f) == NULL)
          out[0] = '\0';
        goto done;
      }
    }
  }
done:
  free(sh);
  fclose(f);
}

static const char *base_name(const char *path)
{
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* The file a loaded symbol comes from. */
static const char *file_of(void *symbol)
{
  Dl_info info;
  return dladdr(symbol, &info) && info.dli_fname ? info.dli_fname : "";
}

/* The path of the loaded object whose file name starts with `prefix`. */
typedef struct {
  const char *prefix;
  char path[512];
} Found;

static int find_object(struct dl_phdr_info *info, size_t size, void *data)
{
  Found *f = (Found *)data;
  (void)size;
  if (info->dlpi_name != NULL && strncmp(base_name(info->dlpi_name), f->prefix, strlen(f->prefix)) == 0) {
    snprintf(f->path, sizeof f->path, "%s", info->dlpi_name);
    return 1;
  }
  return 0;
}

int main(void)
{
  void *versioned, *plain, *other;
  char soname[256];
  const char *path;
  int16_t h = 0;
  Found linked = { "libps5000a", "" };

  dl_iterate_phdr(find_object, &linked);
  path = linked.path;
  check(strcmp(base_name(path), "libps5000a.so.2") == 0,
        "linked with -lps5000a, the loader loaded '%s' (expected libps5000a.so.2)", path);
  read_soname(path, soname, sizeof soname);
  check(strcmp(soname, "libps5000a.so.2") == 0, "DT_SONAME of %s is '%s' (expected libps5000a.so.2)", path, soname);
  check_status(ps5000aOpenUnit(&h, NULL, PS5000A_DR_8BIT), PICO_OK, "ps5000aOpenUnit through the linked library");
  if (h > 0)
    ps5000aCloseUnit(h);

  versioned = dlopen("libps5000a.so.2", RTLD_NOW | RTLD_NOLOAD);
  check(versioned != NULL, "dlopen(\"libps5000a.so.2\", RTLD_NOLOAD): the linked library is loaded under that name");
  versioned = dlopen("libps5000a.so.2", RTLD_NOW);
  plain = dlopen("libps5000a.so", RTLD_NOW);
  check(versioned != NULL, "dlopen(\"libps5000a.so.2\") (%s)", versioned ? "found" : dlerror());
  check(plain != NULL, "dlopen(\"libps5000a.so\") through the unversioned name (%s)", plain ? "found" : dlerror());
  if (versioned != NULL && plain != NULL)
    check(versioned == plain && dlsym(plain, "ps5000aOpenUnit") != NULL,
          "both names give the same library, the one the program is linked with");

  other = dlopen("libps2000a.so.2", RTLD_NOW);
  check(other != NULL, "dlopen(\"libps2000a.so.2\") (%s)", other ? "found" : dlerror());
  if (other != NULL) {
    PICO_STATUS (*open2000)(int16_t *, int8_t *) = NULL;
    PICO_STATUS (*close2000)(int16_t) = NULL;
    void *sym = dlsym(other, "ps2000aOpenUnit");
    void *closeSym = dlsym(other, "ps2000aCloseUnit");
    check(sym != NULL && closeSym != NULL, "ps2000aOpenUnit and ps2000aCloseUnit resolved by name");
    if (sym != NULL && closeSym != NULL) {
      path = file_of(sym);
      read_soname(path, soname, sizeof soname);
      check(strcmp(soname, "libps2000a.so.2") == 0, "DT_SONAME of %s is '%s' (expected libps2000a.so.2)", path,
            soname);
      memcpy(&open2000, &sym, sizeof sym);
      memcpy(&close2000, &closeSym, sizeof closeSym);
      h = 0;
      check_status(open2000(&h, NULL), PICO_OK, "ps2000aOpenUnit through dlopen(\"libps2000a.so.2\")");
      if (h > 0)
        close2000(h);
    }
    plain = dlopen("libps2000a.so", RTLD_NOW);
    check(plain == other, "dlopen(\"libps2000a.so\") finds the same library");
  }
  return capi_finish("test_ps_library_names");
}
