import CodeMirror from '@uiw/react-codemirror';
import { StreamLanguage } from '@codemirror/language';
import { shell } from '@codemirror/legacy-modes/mode/shell';

const extensions = [StreamLanguage.define(shell)];

/** A shell-script editor with syntax highlighting (its own chunk: loaded only where a script is edited). */
export default function ScriptEditor({
  value,
  onChange,
  height = '280px',
  readOnly,
}: {
  value?: string;
  onChange?: (value: string) => void;
  height?: string;
  readOnly?: boolean;
}) {
  return (
    <div data-testid="script-editor" style={{ border: '1px solid #d9d9d9', borderRadius: 6, overflow: 'hidden' }}>
      <CodeMirror
        value={value ?? ''}
        height={height}
        extensions={extensions}
        readOnly={readOnly}
        basicSetup={{ foldGutter: false }}
        onChange={(v) => onChange?.(v)}
      />
    </div>
  );
}
