package wizard

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// newFileMode is the mode of a report file that did not exist before.
const newFileMode fs.FileMode = 0o644

// WriteFile writes a report to path without harming what is there. A new
// path or an existing regular file is written atomically (a temporary file
// in the same folder, synced and renamed over it) and an existing file
// keeps its mode; a symbolic link is followed and its target written; a
// device, FIFO or socket (/dev/stdout, /dev/null, a named pipe) is written
// in place, never replaced. Nothing is left behind on a failure.
func WriteFile(path string, data []byte) error {
	target, st, err := outputTarget(path)
	if err != nil {
		return err
	}
	if st != nil && !st.Mode().IsRegular() {
		return writeInPlace(target, data)
	}
	return writeAtomic(target, data, st)
}

// CheckWritable tells before a run whether WriteFile(path) can succeed, so
// that a long run does not end in an unwritable path. It leaves nothing at
// path; a device or FIFO is not opened (a FIFO would wait for a reader).
func CheckWritable(path string) error {
	target, st, err := outputTarget(path)
	if err != nil {
		return err
	}
	if st != nil && !st.Mode().IsRegular() {
		return nil
	}
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// outputTarget resolves path through symbolic links and returns the path to
// write and what is there now (nil: nothing yet). A directory is an error
// (syscall.EISDIR, like opening it for writing).
func outputTarget(path string) (string, fs.FileInfo, error) {
	target := path
	if lst, err := os.Lstat(path); err == nil && lst.Mode()&fs.ModeSymlink != 0 {
		resolved, err := filepath.EvalSymlinks(path)
		if err != nil {
			// A dangling link: write its target, as a shell's ">" does.
			return danglingTarget(path)
		}
		target = resolved
	}
	st, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return target, nil, nil
	case err != nil:
		return "", nil, err
	case st.IsDir():
		return "", nil, &fs.PathError{Op: "open", Path: target, Err: syscall.EISDIR}
	}
	return target, st, nil
}

// danglingTarget follows a chain of links whose end does not exist yet.
func danglingTarget(path string) (string, fs.FileInfo, error) {
	for range 40 { // the kernel's own limit on nested links
		dest, err := os.Readlink(path)
		if err != nil {
			return "", nil, err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
		lst, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil, nil
		}
		if err != nil {
			return "", nil, err
		}
		if lst.Mode()&fs.ModeSymlink == 0 {
			return outputTarget(path)
		}
	}
	return "", nil, &fs.PathError{Op: "open", Path: path, Err: syscall.ELOOP}
}

// writeInPlace writes to a device, FIFO or socket as it is.
func writeInPlace(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeAtomic writes a regular file through a synced temporary file renamed
// over it; the file keeps the mode and owner of old, if there is one.
func writeAtomic(path string, data []byte, old fs.FileInfo) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	fail := func(err error) error {
		tmp.Close()
		os.Remove(name)
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	mode := newFileMode
	if old != nil {
		mode = old.Mode().Perm()
		keepOwner(tmp, old)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}
