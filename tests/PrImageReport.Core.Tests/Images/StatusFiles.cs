namespace PrImageReport.Core.Tests.Images;

/// <summary>Package database excerpts as Debian bookworm and Alpine write them.</summary>
internal static class StatusFiles
{
    public const string DebianWithBuildEssential = """
        Package: build-essential
        Status: install ok installed
        Priority: optional
        Section: devel
        Installed-Size: 20
        Maintainer: Matthias Klose <doko@debian.org>
        Architecture: amd64
        Version: 12.9
        Depends: libc6-dev | libc-dev, gcc (>= 4:10.2), g++ (>= 4:10.2), make, dpkg-dev (>= 1.17.11)
        Description: Informational list of build-essential packages
         If you do not plan to build Debian packages, you don't need this
         package.  Starting with dpkg (>= 1.14.18) this package is required
         for building Debian packages.
         .
         This package contains an informational list of packages which are
         considered essential for building Debian packages.

        Package: gcc-12
        Status: install ok installed
        Priority: optional
        Section: devel
        Installed-Size: 68236
        Maintainer: Debian GCC Maintainers <debian-gcc@lists.debian.org>
        Architecture: amd64
        Version: 12.2.0-14+deb12u1
        Replaces: cpp-12 (<< 7.1.1-8)
        Provides: c-compiler
        Depends: cpp-12 (= 12.2.0-14+deb12u1), gcc-12-base (= 12.2.0-14+deb12u1), binutils (>= 2.40), libc6 (>= 2.36)
        Recommends: libc6-dev (>= 2.23-1~)
        Description: GNU C compiler
         This is the GNU C compiler, a fairly portable optimizing compiler for C.
        Homepage: http://gcc.gnu.org/

        Package: gcc-12-base
        Status: install ok installed
        Priority: optional
        Section: libs
        Installed-Size: 100
        Maintainer: Debian GCC Maintainers <debian-gcc@lists.debian.org>
        Architecture: amd64
        Multi-Arch: same
        Source: gcc-12
        Version: 12.2.0-14+deb12u1
        Breaks: gnat (<< 7)
        Description: GCC, the GNU Compiler Collection (base package)
         This package contains files common to all languages and libraries
         contained in the GNU Compiler Collection (GCC).
        Homepage: http://gcc.gnu.org/

        Package: libc6-dev
        Status: install ok installed
        Priority: optional
        Section: libdevel
        Installed-Size: 11975
        Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
        Architecture: amd64
        Multi-Arch: same
        Source: glibc
        Version: 2.36-9+deb12u14
        Provides: libc-dev (= 2.36-9+deb12u14)
        Depends: libc6 (= 2.36-9+deb12u14), libc-dev-bin (= 2.36-9+deb12u14), linux-libc-dev, libcrypt-dev
        Description: GNU C Library: Development Libraries and Header Files
         Contains the symlinks, headers, and object files needed to compile
         and link programs which use the standard C library.
        Homepage: https://www.gnu.org/software/libc/libc.html

        Package: python3.11
        Status: install ok installed
        Priority: optional
        Section: python
        Installed-Size: 651
        Maintainer: Matthias Klose <doko@debian.org>
        Architecture: amd64
        Multi-Arch: allowed
        Version: 3.11.2-6+deb12u9
        Depends: python3.11-minimal (= 3.11.2-6+deb12u9), libpython3.11-stdlib (= 3.11.2-6+deb12u9), media-types | mime-support
        Recommends: ca-certificates
        Suggests: python3.11-venv, python3.11-doc, binutils
        Description: Interactive high-level object-oriented language (version 3.11)
         Python is a high-level, interactive, object-oriented language. Its 3.11 version
         includes an extensive class library with lots of goodies for
         network programming, system administration, sounds and graphics.

        Package: make
        Status: deinstall ok config-files
        Priority: optional
        Section: devel
        Installed-Size: 1592
        Maintainer: Manoj Srivastava <srivasta@debian.org>
        Architecture: amd64
        Version: 4.3-4.1
        Conffiles:
         /etc/make.conf 0123456789abcdef0123456789abcdef
        Description: utility for directing compilation

        """;

    /// <summary>What the status file says after `apt-get purge build-essential gcc-12 libc6-dev`.</summary>
    public const string DebianAfterPurge = """
        Package: gcc-12-base
        Status: install ok installed
        Priority: optional
        Section: libs
        Installed-Size: 100
        Architecture: amd64
        Version: 12.2.0-14+deb12u1
        Description: GCC, the GNU Compiler Collection (base package)

        Package: python3.11
        Status: install ok installed
        Priority: optional
        Section: python
        Installed-Size: 651
        Architecture: amd64
        Version: 3.11.2-6+deb12u9
        Description: Interactive high-level object-oriented language (version 3.11)

        """;

    public const string AlpineWithBuildBase = """
        C:Q1qKcZ+j23xssAXmgQhkOO8dHnbWw=
        P:musl
        V:1.2.5-r0
        A:x86_64
        S:410505
        I:662528
        T:the musl c library (libc) implementation
        U:https://musl.libc.org/
        L:MIT
        o:musl
        m:Natanael Copa <ncopa@alpinelinux.org>
        t:1711549493
        c:2f1bb3ab4ca6d5d6f4cea4b7d26d1e1a2c9e2e14
        p:so:libc.musl-x86_64.so.1=1
        F:lib
        R:ld-musl-x86_64.so.1
        a:0:0:755
        Z:Q1kOdC7qXYTnk0GSr+y8jD1nw2NjY=

        C:Q1TJ4vZ9Q7p9YQ8qjH6tYbsK4C3dw=
        P:build-base
        V:0.5-r3
        A:x86_64
        S:1566
        I:0
        T:Meta package for build base
        U:https://alpinelinux.org
        L:MIT
        o:build-base
        D:binutils file gcc g++ make libc-dev fortify-headers patch

        C:Q1R3Ndn0tMN1XJQGtmQjkzWhyT4Ao=
        P:gcc
        V:13.2.1_git20240309-r0
        A:x86_64
        S:30236325
        I:101675008
        T:The GNU Compiler Collection
        i:lib
        F:usr/bin
        R:gcc
        a:0:0:755

        C:Q1n1KJnvSGcm1F2M5ILSi7PUpAXPE=
        P:musl-dev
        V:1.2.5-r0
        A:x86_64
        S:1183459
        I:10727424
        T:the musl c library (libc) implementation (development files)

        """;
}
