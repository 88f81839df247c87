import { DeleteOutlined, LeftOutlined, LoadingOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Upload } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api';
import { IMAGE_TYPES, MAX_IMAGE_BYTES, MAX_IMAGES, type ImageRef } from '../shared/catalog';
import { useErrorMessage } from '../shared/errors';

/** Moves the item at `from` to `to`, shifting the ones between. */
function move<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/**
 * Up to 9 product images, uploaded as they are picked; drag a tile to reorder (the first is the
 * main image). Touch screens have no HTML5 drag: the arrow moves an image one place forward.
 */
export function ImageGallery({
  images,
  onChange,
  disabled,
}: {
  images: ImageRef[];
  onChange: (images: ImageRef[]) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [uploading, setUploading] = useState(0);
  const [dragged, setDragged] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  // Uploads finish one by one; each adds to the latest list, not to the one it started with.
  const latest = useRef(images);
  latest.current = images;

  const upload = async (file: File) => {
    setUploading((n) => n + 1);
    try {
      const { image } = await api.upload<{ image: ImageRef }>('/api/v1/merchant/images', file, file.name);
      latest.current = [...latest.current, image].slice(0, MAX_IMAGES);
      onChange(latest.current);
    } catch (error) {
      void message.error(t('merchant.editor.uploadFailed', { name: file.name, reason: errorMessage(error) }));
    } finally {
      setUploading((n) => n - 1);
    }
  };

  const room = MAX_IMAGES - images.length - uploading;

  return (
    <div className="fm-image-grid" data-testid="image-gallery">
      {images.map((image, index) => (
        <div
          key={image.id}
          className={[
            'fm-image-tile',
            dragged === index ? 'fm-image-dragging' : '',
            over === index && dragged !== index ? 'fm-image-over' : '',
          ].join(' ')}
          draggable={!disabled}
          onDragStart={(event) => {
            event.dataTransfer.effectAllowed = 'move';
            event.dataTransfer.setData('text/plain', String(index));
            setDragged(index);
          }}
          onDragOver={(event) => {
            if (dragged === null) return;
            event.preventDefault();
            setOver(index);
          }}
          onDragLeave={() => setOver((o) => (o === index ? null : o))}
          onDrop={(event) => {
            event.preventDefault();
            if (dragged !== null && dragged !== index) onChange(move(images, dragged, index));
            setDragged(null);
            setOver(null);
          }}
          onDragEnd={() => {
            setDragged(null);
            setOver(null);
          }}
        >
          <img src={image.thumbUrl} alt={t('merchant.editor.imageAlt', { n: index + 1 })} draggable={false} />
          {index === 0 && <span className="fm-image-main">{t('merchant.editor.mainImage')}</span>}
          {!disabled && (
            <div className="fm-image-actions">
              {index > 0 && (
                <Button
                  size="small"
                  type="text"
                  icon={<LeftOutlined />}
                  aria-label={t('merchant.editor.moveEarlier')}
                  onClick={() => onChange(move(images, index, index - 1))}
                />
              )}
              <Button
                size="small"
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('merchant.editor.removeImage')}
                onClick={() => onChange(images.filter((i) => i.id !== image.id))}
              />
            </div>
          )}
        </div>
      ))}
      {Array.from({ length: uploading }, (_, i) => (
        <div key={`up-${i}`} className="fm-image-tile fm-image-pending">
          <LoadingOutlined />
        </div>
      ))}
      {room > 0 && !disabled && (
        <Upload
          accept={IMAGE_TYPES.join(',')}
          multiple
          showUploadList={false}
          beforeUpload={(file, batch) => {
            const position = batch.indexOf(file);
            if (position >= room) {
              if (position === room) void message.warning(t('merchant.editor.tooManyImages', { max: MAX_IMAGES }));
            } else if (!IMAGE_TYPES.includes(file.type)) {
              void message.error(t('merchant.editor.imageType', { name: file.name }));
            } else if (file.size > MAX_IMAGE_BYTES) {
              void message.error(t('merchant.editor.imageTooLarge'));
            } else {
              void upload(file);
            }
            return false;
          }}
        >
          <button type="button" className="fm-image-add">
            <PlusOutlined />
            <span>{t('merchant.editor.addImage')}</span>
            <span className="fm-muted">
              {images.length}/{MAX_IMAGES}
            </span>
          </button>
        </Upload>
      )}
    </div>
  );
}
